import { STATUS_INFO, type Status } from '../workflow/machine';
import { lines, trusted, type Wording } from '../i18n/catalogue';
import type { ApplicationView } from '../workflow/schemas';

/**
 * A status as people know it: for the partner, the guide's name for the step ("You have
 * successfully signed the contract"); for staff, the same step said to them ("Contract signed:
 * ACPN to activate").
 */
export function statusTitle(status: Status, w: Wording, audience: 'partner' | 'staff' = 'partner'): string {
  return w.plain(audience === 'staff' ? `status.${status}.staff` : `status.${status}.title`);
}

/** "Where do I stand": the current step, what is expected next, from whom, by when (chat Markdown). */
export function statusMessage(app: ApplicationView, audience: 'partner' | 'bd', w: Wording): string {
  const status = app.status;
  const info = STATUS_INFO[status];
  // Our own wording, placed as it is; the company name is typed text and is escaped.
  const title = statusTitle(status, w, audience === 'bd' ? 'staff' : 'partner');
  const step = { title: trusted(title), guide: trusted(w.plain(`status.${status}.guide`)) };
  const heading = app.companyName
    ? w.t('statusMessage.headingFor', { ...step, company: app.companyName })
    : w.t('statusMessage.heading', step);
  const whose =
    info.waitingOn === null
      ? status === 'rejected' && !app.closed && audience === 'partner'
        ? w.t('statusMessage.yourMove')
        : w.t('statusMessage.nothingWaiting')
      : info.waitingOn === audience
        ? w.t('statusMessage.yourMove')
        : w.t(info.waitingOn === 'bd' ? 'statusMessage.bdMove' : 'statusMessage.partnerMove');
  const due = app.dueDate
    ? w.t(app.overdue ? 'statusMessage.overdue' : 'statusMessage.due', { due: w.date(app.dueDate) })
    : undefined;
  const parts = [heading, stepText(status, audience, w)];
  if (status === 'rejected') parts.push(rejectionText(app, audience, w));
  parts.push(w.sentences(whose, due));
  return parts.join('\n\n');
}

export function stepText(status: Status, audience: 'partner' | 'bd', w: Wording): string {
  return w.t(`steps.${status}.${audience}`);
}

/** Why it was rejected (the BD's words) and what the partner can do now. */
export function rejectionText(app: ApplicationView, audience: 'partner' | 'bd', w: Wording): string {
  const reason = app.note ? w.t('statusMessage.reason', { reason: lines(app.note) }) : '';
  if (audience !== 'partner') return reason;
  const next = app.closed
    ? 'statusMessage.closedForGood'
    : app.rejectedFrom === 'qualification_review'
      ? 'statusMessage.askReviewAgain'
      : 'statusMessage.reapply';
  return [reason, w.t(next)].filter(Boolean).join('\n\n');
}
