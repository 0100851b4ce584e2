import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ConnectorFactory,
  JwtTokenValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { CallerIdConstants } from 'botframework-schema';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { withThrottlePolicy } from './connectorRetry';

/** CloudAdapter with its activity entry point opened, so our route owns body parsing and error bodies. */
export class BotAdapter extends CloudAdapter {
  handle(
    authHeader: string,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** Connector clients kept per (app id, service URL, audience); a bot talks to few service URLs. */
const MAX_CLIENTS = 100;

/**
 * The SDK builds a new ConnectorClient and a new UserTokenClient (each a whole HTTP
 * pipeline) for every turn and every proactive message: over a third of an echo bot's turn.
 * One of each per app id (and service URL and audience) is reused instead, on every path a
 * factory comes from (an inbound request's authentication, a proactive turn); their
 * credentials refresh their own tokens.
 */
export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    return factory ? { ...result, connectorFactory: this.reusing(factory, result.claimsIdentity) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.kept(this.tokenClients, appIdOf(claimsIdentity), () =>
      super.createUserTokenClient(claimsIdentity),
    );
  }

  private reusing(inner: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    const keep = (key: string, make: () => Promise<ConnectorClient>) => this.kept(this.clients, key, make);
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return keep(`${appId}\u0000${serviceUrl}\u0000${audience ?? ''}`, () =>
          inner.create(serviceUrl, audience),
        );
      }
    })();
  }

  /** The kept client for `key`, made once; a failed creation (credentials) is not kept. */
  private kept<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let client = cache.get(key);
    if (!client) {
      if (cache.size >= MAX_CLIENTS) cache.delete(cache.keys().next().value!);
      client = make();
      client.catch(() => cache.delete(key));
      cache.set(key, client);
    }
    return client;
  }
}

function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
}

/**
 * The real Bot Framework adapter. With MicrosoftAppId it validates every inbound token;
 * without it (a loopback development instance) it accepts local channels unauthenticated.
 */
export function createAdapter(
  config: Config,
  log: Logger,
  /** Drops the conversation's dialog state after a failed turn; workflow data is untouched. */
  forgetConversation: (ctx: TurnContext) => Promise<void>,
  /** The apology the person hears after a failed turn, in their language. */
  apology: (ctx: TurnContext) => string,
): BotAdapter {
  // One 429 policy for every connector request (src/bot/connectorRetry.ts), not the library's.
  const auth = withThrottlePolicy(
    new ReusingAuthentication({
      MicrosoftAppId: config.bot.appId ?? '',
      MicrosoftAppPassword: config.bot.appPassword ?? '',
      MicrosoftAppType: config.bot.appType,
      MicrosoftAppTenantId: config.bot.tenantId ?? '',
      // Overriding where inbound tokens are checked switches the library to explicit settings:
      // give it the public cloud's values for everything else so outbound calls still work.
      ...(config.bot.openIdMetadataUrl
        ? {
            ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl,
            ToBotFromChannelTokenIssuer:
              config.bot.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            CallerId: CallerIdConstants.PublicAzureChannel,
            ValidateAuthority: true,
          }
        : {}),
    }),
  );
  const adapter = new BotAdapter(auth);
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    log.error(
      { err: { message: error.message, stack: error.stack }, activityType: ctx.activity.type },
      'turn failed',
    );
    // Drop the conversation's dialog state so the next message starts cleanly.
    await forgetConversation(ctx).catch(() => undefined);
    await ctx.sendActivity(apology(ctx)).catch(() => undefined);
  };
  return adapter;
}
