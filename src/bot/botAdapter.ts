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
  type ClaimsIdentity,
  type ConnectorClient,
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
 * The SDK builds a new ConnectorClient (its whole HTTP pipeline) for every turn and every
 * proactive message: over a third of an echo bot's turn. One client per app id, service URL
 * and audience is reused instead; its credentials refresh their own token.
 */
export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
    const clients = this.clients;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const key = `${appId}\u0000${serviceUrl}\u0000${audience ?? ''}`;
        let client = clients.get(key);
        if (!client) {
          if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
          client = inner.create(serviceUrl, audience);
          // A failed creation (credentials) is not kept: the next turn tries again.
          client.catch(() => clients.delete(key));
          clients.set(key, client);
        }
        return client;
      }
    })();
  }
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
