import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type BotState,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
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

/**
 * The real Bot Framework adapter. With MicrosoftAppId it validates every inbound token;
 * without it (a loopback development instance) it accepts local channels unauthenticated.
 */
export function createAdapter(config: Config, log: Logger, conversationState: BotState): BotAdapter {
  // One 429 policy for every connector request (src/bot/connectorRetry.ts), not the library's.
  const auth = withThrottlePolicy(
    new ConfigurationBotFrameworkAuthentication({
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
    // Drop the conversation's dialog state so the next message starts cleanly; workflow data is untouched.
    await conversationState.delete(ctx).catch(() => undefined);
    await ctx
      .sendActivity(
        'Sorry, something went wrong on my side. Nothing you saved was lost: type **start** to continue.',
      )
      .catch(() => undefined);
  };
  return adapter;
}
