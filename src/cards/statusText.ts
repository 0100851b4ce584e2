import { STATUS_INFO, type Status } from '../workflow/machine';
import { md } from '../escape';
import type { ApplicationView } from '../workflow/schemas';
import type { DateFormatter } from '../dates';
import stepTexts from './stepTexts.json';

const texts = stepTexts as Record<Status, { partner: string; bd: string }>;

/** "Where do I stand": the current step, what is expected next, from whom, by when. */
export function statusMessage(
  app: ApplicationView,
  audience: 'partner' | 'bd',
  dates: DateFormatter,
): string {
  const status = app.status;
  const info = STATUS_INFO[status];
  const whose =
    info.waitingOn === null
      ? 'Nothing is waiting.'
      : info.waitingOn === audience
        ? 'Next move: yours.'
        : `Next move: ${info.waitingOn === 'bd' ? 'your BD' : 'the partner'}.`;
  const due = app.dueDate
    ? app.overdue
      ? ` It was due by ${dates.date(app.dueDate)} (3 working days) and is overdue.`
      : ` Due by ${dates.date(app.dueDate)} (3 working days).`
    : '';
  const name = app.companyName ? ` for ${md(app.companyName)}` : '';
  return `**${info.title}** (guide ${info.guide})${name}\n\n${texts[status][audience]}\n\n${whose}${due}`;
}

export function stepText(status: Status, audience: 'partner' | 'bd'): string {
  return texts[status][audience];
}
