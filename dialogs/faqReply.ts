import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from '../src/bot/framework';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import type { BotServices } from './helpers/botServices';
import type { Role } from '../src/roles';
import type { AskerContext } from '../src/faq/types';
import { VERBS } from '../src/cards/verbs';
import { currentApplication } from './helpers/currentApplication';
import { turnLanguage } from '../src/bot/turnLanguage';
import { trusted, type Wording } from '../src/i18n/catalogue';

/** What the bot does for this role and the commands it understands, in the person's language. */
export function helpText(role: Role, w: Wording): string {
  return w.t(`help.${role}`);
}

/** Buttons under an answer: each "see also" entry asks the guide about it. */
const MAX_SEE_ALSO = 3;

/**
 * Answers from the onboarding guide, naming the section it comes from; unknown questions go to
 * people. With `onlyIfAnswered` (text that may not be a question at all) nothing is said or
 * queued when the guide has no answer. Returns whether it answered.
 */
export async function answerQuestion(
  services: BotServices,
  ctx: TurnContext,
  question: string,
  opts: { onlyIfAnswered?: boolean } = {},
): Promise<boolean> {
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  let context: AskerContext | undefined;
  if (user.role === 'partner' && (services.faq.wantsContext?.(question) ?? true)) {
    const mine = await services.workflow.list(user.userId);
    const app = mine.ok ? currentApplication(mine.value) : undefined;
    if (app) {
      context = {
        status: app.status,
        statusSince: app.statusSince,
        dueDate: app.dueDate,
        overdue: app.overdue,
        companyName: app.companyName,
      };
    }
  }
  const answer = await services.faq.answer(question, {
    context,
    askedBy: user.userId,
    channel: ctx.activity.channelId,
    // The bot writes its own source and follow-up lines below.
    inlineSource: false,
    inlineNext: false,
    recordUnanswered: !opts.onlyIfAnswered,
  });
  if (!answer.answered && opts.onlyIfAnswered) return false;
  // The lines around an answer are in the answer's language (a Chinese question is answered in
  // Chinese, whatever the conversation's language); without one, in the conversation's.
  const w = services.catalogue.in(
    answer.language === 'zh' ? 'zh-CN' : answer.language === 'en' ? 'en' : turnLanguage(ctx),
  );
  // Titles come from the knowledge base (ours), placed as written; people read the title, not an id.
  const sources = w.list(
    answer.citations.map((c) => c.title),
    true,
  );
  const lines = [answer.answer];
  if (answer.answered && sources) lines.push(w.t('faq.source', { sources: trusted(sources) }));
  const choices = answer.didYouMean?.length
    ? answer.didYouMean
    : answer.answered
      ? (answer.suggestions ?? [])
      : [];
  if (answer.didYouMean?.length) lines.push(w.t('faq.didYouMeanPress'));
  if (!answer.answered) {
    lines.push(w.t(user.role === 'partner' ? 'faq.notedPartner' : 'faq.notedStaff'));
  }
  const reply = MessageFactory.text(lines.join('\n\n'));
  const askButtons = choices
    .slice(0, MAX_SEE_ALSO)
    .map((s) => ({ label: clipLabel(s.title), data: { verb: VERBS.faqAsk, question: s.title } }));
  if (answer.answered) {
    const citationId = answer.citations[0]?.id;
    const data = (helpful: boolean) => ({ verb: VERBS.feedback, question, citationId, helpful });
    reply.attachments = [
      services.cards.builder.small(askButtons.length ? w.t('faq.seeAlsoAndRate') : w.t('faq.wasItHelpful'), [
        ...askButtons,
        { label: w.plain('faq.helpful'), data: data(true) },
        { label: w.plain('faq.notHelpful'), data: data(false) },
      ]),
    ];
  } else if (askButtons.length) {
    reply.attachments = [services.cards.builder.small(w.t('faq.didYouMeanHint'), askButtons)];
  }
  await ctx.sendActivity(reply);
  // A card of its own, so that once pressed it can be replaced by what became of the question.
  if (!answer.answered && user.role === 'partner') await offerSupport(services, ctx, question, w);
  return answer.answered;
}

/** "Ask support" for a question: a person answers it here. */
export async function offerSupport(
  services: BotServices,
  ctx: TurnContext,
  question: string,
  w: Wording,
  heading: 'faq.nobodyAnswered' | 'faq.personCanAnswer' = 'faq.nobodyAnswered',
) {
  // Its own id, so the card can be found and replaced once pressed (Web Chat does not say which was).
  const cardId = randomUUID();
  const sent = await ctx.sendActivity(
    MessageFactory.attachment(
      services.cards.builder.small(w.t(heading), [
        { label: w.plain('faq.askSupport'), data: { verb: VERBS.handover, question, cardId } },
      ]),
    ),
  );
  const user = ctx.turnState.get(TURN_USER) as TurnUser;
  const conversationId = ctx.activity.conversation?.id;
  if (sent?.id && conversationId) {
    await services.copies.record({
      conversationId,
      activityId: sent.id,
      subjectId: cardId,
      userId: user.userId,
      kind: 'partner',
      version: 0,
    });
  }
}

/** A button's title stays short: long titles are cut at a word. */
function clipLabel(title: string): string {
  if (title.length <= 60) return title;
  const cut = title.slice(0, 57);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}
