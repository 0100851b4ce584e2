import type { TurnContext } from '../src/bot/framework';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { turnLanguage } from '../src/bot/turnLanguage';
import { statusMessage } from '../src/cards/statusText';
import type { Wording } from '../src/i18n/catalogue';
import { helpText } from './faqReply';
import type { BotServices } from './helpers/botServices';
import { currentApplication } from './helpers/currentApplication';

/** The first thing the bot says in a conversation: what it does and, for a returning partner, where they stand. */
export async function welcome(services: BotServices, ctx: TurnContext): Promise<void> {
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  const w = services.catalogue.in(turnLanguage(ctx));
  await ctx.sendActivity(
    [w.t('welcome.greeting'), helpText(user.role, w), await whereYouStand(services, user, w)].join('\n\n'),
  );
}

/** A returning partner hears their step at once; everyone else how to begin. */
async function whereYouStand(services: BotServices, user: TurnUser, w: Wording): Promise<string> {
  if (user.role === 'support') return w.t('welcome.readySupport');
  if (user.role !== 'partner') return w.t('welcome.readyBd');
  const mine = await services.workflow.list(user.userId);
  const current = mine.ok ? currentApplication(mine.value) : undefined;
  if (!current) return w.t('welcome.ready');
  return `${statusMessage(current, 'partner', w)}\n\n${w.t('welcome.continue')}`;
}
