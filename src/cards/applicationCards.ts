import type { Attachment, TurnContext } from 'botbuilder';
import { actionsFrom, STATUS_INFO, type Status } from '../workflow/machine';
import type { ApplicationView, HistoryEntry } from '../workflow/schemas';
import type { BotServices } from '../../dialogs/helpers/botServices';
import type { ButtonSpec } from './cardBuilder';

/** The card updated in place after a decision; the bot returns it to Teams' invoke. */
export const UPDATED_CARD = Symbol('updatedCard');

/** The staff view of an application: summary, warnings, and the buttons the viewer's role may press. */
export function staffCard(
  services: BotServices,
  ctx: TurnContext,
  app: ApplicationView,
  opts: { withButtons: boolean; outcome?: string; history?: HistoryEntry[] },
): Attachment {
  const d = services.dates;
  const facts = [
    { title: 'Status', value: `${STATUS_INFO[app.status as Status].title} (${app.status})` },
    { title: 'Business type', value: app.businessType ?? '—' },
    { title: 'Main UID', value: app.mainUid ?? '—' },
    { title: 'Associated UIDs', value: app.associatedUids?.join(', ') || '—' },
    { title: 'Company Master UID', value: app.masterUid ?? '—' },
    {
      title: 'Contact',
      value: [app.contactName, app.contactEmail, app.contactPhone].filter(Boolean).join(' · ') || '—',
    },
    { title: 'Country', value: app.country ?? '—' },
    { title: 'In this step since', value: d.date(app.statusSince) },
    ...(app.dueDate
      ? [{ title: 'Due by', value: `${d.date(app.dueDate)}${app.overdue ? ' (OVERDUE)' : ''}` }]
      : []),
    { title: 'Application id', value: app.id },
    ...(opts.history ?? []).map((h) => ({
      title: `${d.date(h.occurredAt)} v${h.version}`,
      value: `${h.action} by ${h.actor}`,
    })),
  ];
  const buttons: ButtonSpec[] = opts.withButtons
    ? actionsFrom(app.status as Status)
        .filter((t) => t.who === 'bd' && t.action !== 'fill-decision-sheet')
        .map((t) => services.cards.actionButton(app, t.action))
    : [];
  const noteLabel =
    app.status === 'terms_correction'
      ? "The partner's modification request"
      : app.status === 'rejected'
        ? 'Reason'
        : 'Note';
  return services.cards.summary(
    {
      heading: app.companyName ?? 'Application',
      companyName: `${STATUS_INFO[app.status as Status].title}`,
      facts,
      note: app.note,
      noteLabel,
      warnings: app.warnings,
      outcome: opts.outcome,
    },
    buttons,
    {
      channelId: ctx.activity.channelId,
      refreshUserIds: opts.withButtons ? services.roles.usersWith('bd') : undefined,
    },
  );
}

/** The BD's card for an application as it stands: the decision-sheet form or the review card, buttons while it waits on a BD. */
export function bdCard(
  services: BotServices,
  ctx: TurnContext,
  app: ApplicationView,
  outcome?: string,
): Attachment {
  const waiting = STATUS_INFO[app.status as Status].waitingOn === 'bd';
  if (waiting && (app.status === 'qualified' || app.status === 'terms_correction')) {
    return services.cards.decisionSheetForm(app, { channelId: ctx.activity.channelId });
  }
  return staffCard(services, ctx, app, { withButtons: waiting, outcome });
}

/** The partner's decision sheet (guide 2.3): Basic information and Commission Policy Information, confirm or modify. */
export function termsCard(services: BotServices, ctx: TurnContext, app: ApplicationView): Attachment {
  const sheet = app.decisionSheet ?? { basicInfo: {}, commissionPolicy: {} };
  const cards = services.cards;
  const facts = [
    ...Object.entries(sheet.basicInfo).map(([k, v]) => ({
      title: cards.labelOf('basicInfo', k),
      value: String(v),
    })),
    { title: '— Commission Policy Information —', value: '' },
    ...Object.entries(sheet.commissionPolicy).map(([k, v]) => ({
      title: cards.labelOf('commissionPolicy', k),
      value: String(v),
    })),
  ];
  return cards.summary(
    {
      heading: 'Please confirm the following business terms',
      companyName: app.companyName,
      statusTitle: 'Basic information and Commission Policy Information',
      facts,
      hint: 'Check carefully. If a term is unclear, ask your BD. If something is wrong, choose Modify and describe the revision in detail.',
    },
    [cards.actionButton(app, 'confirm-terms'), cards.actionButton(app, 'request-modification')],
    { channelId: ctx.activity.channelId },
  );
}

/** A prospect's card (guide 2.1 step 3): the company, where it stands, and the button asking for the review. */
export function reviewRequestCard(
  services: BotServices,
  ctx: TurnContext,
  app: ApplicationView,
  text: { heading: string; hint: string },
): Attachment {
  return services.cards.summary(
    { ...text, companyName: app.companyName, statusTitle: STATUS_INFO.prospect.title },
    [services.cards.actionButton(app, 'request-qualification-review')],
    { channelId: ctx.activity.channelId },
  );
}
