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

/**
 * Answers from the onboarding guide, citing the section; unknown questions go to people.
 * With `onlyIfAnswered` (text that may not be a question at all) nothing is said or
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
  // Titles and ids come from the knowledge base (ours), placed as written.
  const titles = (items: { title: string }[]) =>
    trusted(w.list(items.map((c) => w.t('common.quoted', { text: trusted(c.title) }))));
  const sources = w.list(
    answer.citations.map((c) => w.t('faq.citation', { title: trusted(c.title), id: trusted(c.id) })),
    true,
  );
  const lines = [answer.answer];
  if (answer.answered && sources) lines.push(w.t('faq.source', { sources: trusted(sources) }));
  if (answer.didYouMean?.length) lines.push(w.t('faq.didYouMean', { titles: titles(answer.didYouMean) }));
  if (answer.answered && answer.suggestions?.length) {
    lines.push(
      w.t('faq.seeAlso', {
        titles: trusted(
          w.list(
            answer.suggestions.map((s) => s.title),
            true,
          ),
        ),
      }),
    );
  }
  if (!answer.answered) {
    lines.push(w.t(user.role === 'partner' ? 'faq.notedPartner' : 'faq.notedStaff'));
  }
  const reply = MessageFactory.text(lines.join('\n\n'));
  if (answer.answered) {
    const citationId = answer.citations[0]?.id;
    const data = (helpful: boolean) => ({ verb: VERBS.feedback, question, citationId, helpful });
    reply.attachments = [
      services.cards.builder.small(w.t('faq.wasItHelpful'), [
        { label: w.plain('faq.helpful'), data: data(true) },
        { label: w.plain('faq.notHelpful'), data: data(false) },
      ]),
    ];
  } else if (user.role === 'partner') {
    reply.attachments = [
      services.cards.builder.small(w.t('faq.nobodyAnswered'), [
        { label: w.plain('faq.askSupport'), data: { verb: VERBS.handover, question } },
      ]),
    ];
  }
  await ctx.sendActivity(reply);
  return answer.answered;
}
