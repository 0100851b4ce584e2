import { MessageFactory, type TurnContext } from '../src/bot/framework';
import { turnLanguage } from '../src/bot/turnLanguage';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { VERBS } from '../src/cards/verbs';
import { CHANNEL_CHOICES, type ChannelChoice } from '../src/notify/contactPreferences';
import type { BotServices } from './helpers/botServices';
import { currentApplication } from './helpers/currentApplication';

/**
 * "notifications": a partner chooses how they hear of their application (e-mail, chat or
 * both), on a small card; the choice holds from the next event on. Staff hear of applications
 * in chat and at their configured address; without an e-mail channel there is nothing to choose.
 */
export async function offerChannels(services: BotServices, ctx: TurnContext): Promise<void> {
  const w = services.catalogue.in(turnLanguage(ctx));
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  const contact = services.contact;
  if (user.role !== 'partner') {
    await ctx.sendActivity(w.t('channels.staff'));
    return;
  }
  if (!contact?.emailOn) {
    await ctx.sendActivity(w.t('channels.noMail'));
    return;
  }
  const now = await contact.preferences.get(user.userId);
  const apps = await services.workflow.list(user.userId);
  const address = apps.ok ? currentApplication(apps.value)?.contactEmail : undefined;
  const current = w.t(`channels.current.${now}`);
  const text = address
    ? w.t('channels.ask', { current, address })
    : w.t('channels.askNoAddress', { current });
  await ctx.sendActivity(
    MessageFactory.attachment(
      services.cards.builder.small(
        text,
        CHANNEL_CHOICES.map((choice) => ({
          label: w.plain(`channels.choices.${choice}`),
          data: { verb: VERBS.channels, channels: choice },
        })),
      ),
    ),
  );
}

/** The partner pressed one of the choices. */
export async function chooseChannels(
  services: BotServices,
  ctx: TurnContext,
  choice: ChannelChoice,
): Promise<void> {
  const w = services.catalogue.in(turnLanguage(ctx));
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  if (user.role !== 'partner' || !services.contact?.emailOn) {
    await offerChannels(services, ctx);
    return;
  }
  await services.contact.preferences.set(user.userId, choice);
  await ctx.sendActivity(w.t('channels.chosen', { current: w.t(`channels.current.${choice}`) }));
}
