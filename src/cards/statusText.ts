import { STATUS_INFO, type Status } from '../workflow/machine';
import { trusted, type Wording } from '../i18n/catalogue';
import type { ApplicationView } from '../workflow/schemas';

/** A status as people know it: the guide's name for the step, e.g. "Waiting for signing contract". */
export function statusTitle(status: Status, w: Wording): string {
  return w.plain(`status.${status}.title`);
}

/** "Where do I stand": the current step, what is expected next, from whom, by when (chat Markdown). */
export function statusMessage(app: ApplicationView, audience: 'partner' | 'bd', w: Wording): string {
  const status = app.status;
  const info = STATUS_INFO[status];
  // Our own wording, placed as it is; the company name is typed text and is escaped.
  const step = { title: trusted(statusTitle(status, w)), guide: trusted(w.plain(`status.${status}.guide`)) };
  const heading = app.companyName
    ? w.t('statusMessage.headingFor', { ...step, company: app.companyName })
    : w.t('statusMessage.heading', step);
  const whose =
    info.waitingOn === null
      ? w.t('statusMessage.nothingWaiting')
      : info.waitingOn === audience
        ? w.t('statusMessage.yourMove')
        : w.t(info.waitingOn === 'bd' ? 'statusMessage.bdMove' : 'statusMessage.partnerMove');
  const due = app.dueDate
    ? w.t(app.overdue ? 'statusMessage.overdue' : 'statusMessage.due', { due: w.date(app.dueDate) })
    : undefined;
  return `${heading}\n\n${stepText(status, audience, w)}\n\n${w.sentences(whose, due)}`;
}

export function stepText(status: Status, audience: 'partner' | 'bd', w: Wording): string {
  return w.t(`steps.${status}.${audience}`);
}
