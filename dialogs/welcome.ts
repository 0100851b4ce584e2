import type { TurnContext } from '../src/bot/framework';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { statusMessage } from '../src/cards/statusText';
import { helpText } from './faqReply';
import type { BotServices } from './helpers/botServices';
import { currentApplication } from './helpers/currentApplication';

/** The first thing the bot says in a conversation: what it does and, for a returning partner, where they stand. */
export async function welcome(services: BotServices, ctx: TurnContext): Promise<void> {
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  await ctx.sendActivity(
    `Welcome to the Alibaba Cloud agency-partner onboarding assistant.\n\n${helpText(user.role)}\n\n${await whereYouStand(services, user)}`,
  );
}

/** A returning partner hears their step at once; everyone else how to begin. */
async function whereYouStand(services: BotServices, user: TurnUser): Promise<string> {
  if (user.role !== 'partner') return 'Say **start** when you are ready.';
  const mine = await services.workflow.list(user.userId);
  const current = mine.ok ? currentApplication(mine.value) : undefined;
  if (!current) return 'Say **start** when you are ready.';
  return `${statusMessage(current, 'partner', services.dates)}\n\nSay **start** to continue.`;
}
