import type { Attachment } from '../bot/framework';
import type { RoleDirectory } from '../roles';
import { actionsFrom, STATUS_INFO } from '../workflow/machine';
import type { ApplicationView, HistoryEntry } from '../workflow/schemas';
import type { ButtonSpec, CardBuilder, RenderContext } from './cardBuilder';
import type { DateFormatter } from '../dates';
import { VERBS } from './verbs';

/** The card updated in place after a decision; the bot returns it to Teams' invoke. */
export const UPDATED_CARD = Symbol('updatedCard');

/**
 * The cards of an application, for whoever shows them (the dialogs and the notifier):
 * built from the templates by CardBuilder, with dates in the business time zone.
 */
export class ApplicationCards {
  constructor(
    readonly builder: CardBuilder,
    private readonly dates: DateFormatter,
    private readonly roles: RoleDirectory,
  ) {}

  /** The staff view of an application: summary, warnings, and the buttons the viewer's role may press. */
  staff(
    app: ApplicationView,
    render: RenderContext,
    opts: { withButtons: boolean; outcome?: string; history?: HistoryEntry[] },
  ): Attachment {
    const d = this.dates;
    const facts = [
      { title: 'Status', value: `${STATUS_INFO[app.status].title} (${app.status})` },
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
      ? actionsFrom(app.status)
          .filter((t) => t.who === 'bd' && t.action !== 'fill-decision-sheet')
          .map((t) => this.builder.actionButton(app, t.action))
      : [];
    const noteLabel =
      app.status === 'terms_correction'
        ? "The partner's modification request"
        : app.status === 'rejected'
          ? 'Reason'
          : 'Note';
    return this.builder.summary(
      {
        heading: app.companyName ?? 'Application',
        companyName: STATUS_INFO[app.status].title,
        facts,
        note: app.note,
        noteLabel,
        warnings: app.warnings,
        outcome: opts.outcome,
      },
      buttons,
      { ...render, refreshUserIds: opts.withButtons ? this.roles.usersWith('bd') : undefined },
    );
  }

  /** The BD's card for an application as it stands: the decision-sheet form or the review card, buttons while it waits on a BD. */
  bd(app: ApplicationView, render: RenderContext, outcome?: string): Attachment {
    const waiting = STATUS_INFO[app.status].waitingOn === 'bd';
    if (waiting && (app.status === 'qualified' || app.status === 'terms_correction')) {
      return this.builder.decisionSheetForm(app, render);
    }
    return this.staff(app, render, { withButtons: waiting, outcome });
  }

  /** The partner's decision sheet (guide 2.3): Basic information and Commission Policy Information, confirm or modify. */
  terms(app: ApplicationView, render: RenderContext): Attachment {
    const sheet = app.decisionSheet ?? { basicInfo: {}, commissionPolicy: {} };
    const b = this.builder;
    const facts = [
      ...Object.entries(sheet.basicInfo).map(([k, v]) => ({
        title: b.labelOf('basicInfo', k),
        value: String(v),
      })),
      { title: '— Commission Policy Information —', value: '' },
      ...Object.entries(sheet.commissionPolicy).map(([k, v]) => ({
        title: b.labelOf('commissionPolicy', k),
        value: String(v),
      })),
    ];
    return b.summary(
      {
        heading: 'Please confirm the following business terms',
        companyName: app.companyName,
        statusTitle: 'Basic information and Commission Policy Information',
        facts,
        hint: 'Check carefully. If a term is unclear, ask your BD. If something is wrong, choose Modify and describe the revision in detail.',
      },
      [b.actionButton(app, 'confirm-terms'), b.actionButton(app, 'request-modification')],
      render,
    );
  }

  /** A prospect's card (guide 2.1 step 3): the company, where it stands, and the button asking for the review. */
  reviewRequest(
    app: ApplicationView,
    render: RenderContext,
    text: { heading: string; hint: string },
  ): Attachment {
    return this.builder.summary(
      { ...text, companyName: app.companyName, statusTitle: STATUS_INFO.prospect.title },
      [this.builder.actionButton(app, 'request-qualification-review')],
      render,
    );
  }

  /** Guide 2.2 step 1: the partner checks the signing process and the company, then confirms. */
  companyConfirmation(app: ApplicationView, render: RenderContext): Attachment {
    return this.builder.summary(
      {
        heading: 'Confirm company information',
        companyName: app.companyName,
        statusTitle: 'Signing Process: Alibaba Cloud Agency Partner',
        facts: [
          { title: 'Company', value: app.companyName ?? '' },
          { title: 'Main UID', value: app.mainUid ?? '' },
        ],
        hint: 'Check that the signing process is "Alibaba Cloud Agency Partner" and the company is yours, then confirm (guide 2.2 step 1).',
      },
      [
        {
          label: 'Confirm',
          style: 'positive',
          data: { verb: VERBS.confirmCompany, applicationId: app.id, version: app.version },
        },
      ],
      render,
    );
  }

  /** Guide 2.2: the submitted application while the BD reviews it, with the way back (withdraw). */
  underReview(app: ApplicationView, render: RenderContext): Attachment {
    return this.builder.summary(
      {
        heading: 'Application under review',
        companyName: app.companyName,
        statusTitle: 'Application under review',
        facts: app.dueDate ? [{ title: 'BD review due by', value: this.dates.date(app.dueDate) }] : [],
        hint: 'Please be patient and wait for approval. The BD reviews within three working days and may contact you. To change something, withdraw the application first.',
      },
      [this.builder.actionButton(app, 'withdraw')],
      render,
    );
  }
}
