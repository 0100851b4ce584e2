import { MessageFactory, type TurnContext } from '../src/bot/framework';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import type { BotServices } from './helpers/botServices';
import type { Role } from '../src/roles';
import type { AskerContext } from '../src/faq/types';
import { VERBS } from '../src/cards/verbs';
import { currentApplication } from './helpers/currentApplication';
import REPLY_TEXT from './faqReplyText.json';

/** The lines around an answer, in the answer's language (a Chinese question gets Chinese). */
function replyText(language: string | undefined): (typeof REPLY_TEXT)['en'] {
  return language === 'zh' ? REPLY_TEXT.zh : REPLY_TEXT.en;
}

function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const HELP: Record<Role, string> = {
  partner:
    'I guide you through onboarding as an Alibaba Cloud agency partner, step by step.\n\n' +
    '- **start**: continue where your application is\n- **status**: your current step, what is next, from whom and by when\n' +
    '- ask any question about the process, e.g. "what is a Main UID?"\n- **cancel**: stop what we are doing (saved work stays)',
  bd:
    'I bring you the applications that need you.\n\n- **queue**: applications waiting on you, oldest deadline first\n' +
    '- **lookup**: find any application\n- ask any question about the process\n- **cancel**: stop what we are doing',
  admin:
    'You can take every BD action.\n\n- **queue**: applications waiting on a BD\n- **lookup**: find any application\n- ask any question about the process',
  support:
    'I answer onboarding questions and look up applications.\n\n- type a company name or application id to see its status, deadline and history\n' +
    '- ask any question about the process',
};

export function helpText(role: Role): string {
  return HELP[role];
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
  const text = replyText(answer.language);
  const sources = answer.citations.map((c) => `${c.title} [${c.id}]`).join('; ');
  const lines = [answer.answer];
  if (answer.answered && sources) lines.push(`_${fillIn(text.source, { sources })}_`);
  if (answer.didYouMean?.length)
    lines.push(fillIn(text.didYouMean, { choices: answer.didYouMean.map((c) => `"${c.title}"`).join(', ') }));
  if (answer.answered && answer.suggestions?.length) {
    lines.push(fillIn(text.seeAlso, { titles: answer.suggestions.map((s) => s.title).join('; ') }));
  }
  if (!answer.answered) {
    lines.push(user.role === 'partner' ? text.notedWithHandover : text.noted);
  }
  const reply = MessageFactory.text(lines.join('\n\n'));
  if (answer.answered) {
    const citationId = answer.citations[0]?.id;
    const data = (helpful: boolean) => ({ verb: VERBS.feedback, question, citationId, helpful });
    reply.attachments = [
      services.cards.builder.small(text.helpfulPrompt, [
        { label: text.helpful, data: data(true) },
        { label: text.notHelpful, data: data(false) },
      ]),
    ];
  } else if (user.role === 'partner') {
    reply.attachments = [
      services.cards.builder.small(text.nobodyAnswered, [
        { label: text.askSupport, data: { verb: VERBS.handover, question } },
      ]),
    ];
  }
  await ctx.sendActivity(reply);
  return answer.answered;
}
