import type { Attachment } from '../bot/framework';
import type { RoleDirectory } from '../roles';
import { actionsFrom, STATUS_INFO } from '../workflow/machine';
import type { ApplicationView, HistoryEntry } from '../workflow/schemas';
import {
  choiceTitle,
  fieldLabel,
  type ButtonSpec,
  type CardBuilder,
  type RenderContext,
} from './cardBuilder';
import { statusTitle } from './statusText';
import { VERBS } from './verbs';

/** An e-mail to the application's people that could not be delivered (shown to staff). */
export interface MailProblem {
  address: string;
  detail: string;
  at: string;
}

/** The card updated in place after a decision; the bot returns it to Teams' invoke. */
export const UPDATED_CARD = Symbol('updatedCard');

/**
 * The cards of an application, for whoever shows them (the dialogs and the notifier):
 * built from the templates by CardBuilder, in the reader's language (the render context's
 * wording), with dates in the business time zone. Card text is plain wording: the binder
 * escapes every value it places.
 */
export class ApplicationCards {
  constructor(
    readonly builder: CardBuilder,
    private readonly roles: RoleDirectory,
  ) {}

  /** The staff view of an application: summary, warnings, and the buttons the viewer's role may press. */
  staff(
    app: ApplicationView,
    render: RenderContext,
    opts: { withButtons: boolean; outcome?: string; history?: HistoryEntry[]; mailProblems?: MailProblem[] },
  ): Attachment {
    const w = render.words;
    const none = w.plain('common.none');
    const facts = [
      {
        title: w.plain('cards.staff.status'),
        value: w.plain('cards.staff.statusValue', { title: statusTitle(app.status, w), status: app.status }),
      },
      {
        title: fieldLabel('businessType', w),
        value: app.businessType ? choiceTitle('businessType', app.businessType, w) : none,
      },
      { title: fieldLabel('mainUid', w), value: app.mainUid ?? none },
      { title: w.plain('fields.associatedUids.short'), value: app.associatedUids?.join(', ') || none },
      { title: fieldLabel('masterUid', w), value: app.masterUid ?? none },
      {
        title: w.plain('cards.staff.contact'),
        value: [app.contactName, app.contactEmail, app.contactPhone].filter(Boolean).join(' · ') || none,
      },
      { title: fieldLabel('country', w), value: app.country ?? none },
      { title: w.plain('cards.staff.since'), value: w.date(app.statusSince) },
      ...(app.dueDate
        ? [
            {
              title: w.plain('cards.staff.dueBy'),
              value: app.overdue
                ? w.plain('cards.staff.overdue', { due: w.date(app.dueDate) })
                : w.date(app.dueDate),
            },
          ]
        : []),
      { title: w.plain('cards.staff.applicationId'), value: app.id },
      // The partner is not hearing by e-mail: the BD and support see why, and can check the address with them.
      ...(opts.mailProblems ?? []).map((p) => ({
        title: w.plain('cards.staff.emailProblem'),
        value: w.plain('cards.staff.emailProblemValue', {
          address: p.address,
          date: w.date(p.at),
          detail: p.detail,
        }),
      })),
      ...(opts.history ?? []).map((h) => ({
        title: w.plain('cards.staff.historyWhen', { date: w.date(h.occurredAt), version: h.version }),
        value: w.plain('cards.staff.historyWhat', { action: h.action, actor: h.actor }),
      })),
    ];
    const buttons: ButtonSpec[] = opts.withButtons
      ? actionsFrom(app.status)
          .filter((t) => t.who === 'bd' && t.action !== 'fill-decision-sheet')
          .map((t) => this.builder.actionButton(app, t.action, w))
      : [];
    const noteLabel =
      app.status === 'terms_correction'
        ? w.plain('cards.staff.modificationRequest')
        : app.status === 'rejected'
          ? w.plain('cards.staff.reason')
          : w.plain('cards.note');
    return this.builder.summary(
      {
        heading: app.companyName ?? w.plain('cards.staff.application'),
        companyName: statusTitle(app.status, w),
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
  bd(
    app: ApplicationView,
    render: RenderContext,
    outcome?: string,
    mailProblems?: MailProblem[],
  ): Attachment {
    const waiting = STATUS_INFO[app.status].waitingOn === 'bd';
    if (waiting && (app.status === 'qualified' || app.status === 'terms_correction')) {
      return this.builder.decisionSheetForm(app, render);
    }
    return this.staff(app, render, { withButtons: waiting, outcome, mailProblems });
  }

  /** The partner's decision sheet (guide 2.3): Basic information and Commission Policy Information, confirm or modify. */
  terms(app: ApplicationView, render: RenderContext): Attachment {
    const w = render.words;
    const sheet = app.decisionSheet ?? { basicInfo: {}, commissionPolicy: {} };
    const b = this.builder;
    const facts = [
      ...Object.entries(sheet.basicInfo).map(([k, v]) => ({
        title: b.labelOf('basicInfo', k, w),
        value: String(v),
      })),
      { title: w.plain('cards.terms.commissionDivider'), value: '' },
      ...Object.entries(sheet.commissionPolicy).map(([k, v]) => ({
        title: b.labelOf('commissionPolicy', k, w),
        value: String(v),
      })),
    ];
    return b.summary(
      {
        heading: w.plain('cards.terms.heading'),
        companyName: app.companyName,
        statusTitle: w.plain('cards.terms.statusTitle'),
        facts,
        hint: w.plain('cards.terms.hint'),
      },
      [b.actionButton(app, 'confirm-terms', w), b.actionButton(app, 'request-modification', w)],
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
      { ...text, companyName: app.companyName, statusTitle: statusTitle('prospect', render.words) },
      [this.builder.actionButton(app, 'request-qualification-review', render.words)],
      render,
    );
  }

  /** Guide 2.2 step 1: the partner checks the signing process and the company, then confirms. */
  companyConfirmation(app: ApplicationView, render: RenderContext): Attachment {
    const w = render.words;
    return this.builder.summary(
      {
        heading: w.plain('cards.company.heading'),
        companyName: app.companyName,
        statusTitle: w.plain('cards.company.statusTitle'),
        facts: [
          { title: fieldLabel('companyName', w), value: app.companyName ?? '' },
          { title: fieldLabel('mainUid', w), value: app.mainUid ?? '' },
        ],
        hint: w.plain('cards.company.hint'),
      },
      [
        {
          label: w.plain('cards.company.confirm'),
          style: 'positive',
          data: { verb: VERBS.confirmCompany, applicationId: app.id, version: app.version },
        },
      ],
      render,
    );
  }

  /** Guide 2.2: the submitted application while the BD reviews it, with the way back (withdraw). */
  underReview(app: ApplicationView, render: RenderContext): Attachment {
    const w = render.words;
    return this.builder.summary(
      {
        heading: w.plain('cards.underReview.heading'),
        companyName: app.companyName,
        statusTitle: statusTitle('submitted', w),
        facts: app.dueDate ? [{ title: w.plain('cards.underReview.dueBy'), value: w.date(app.dueDate) }] : [],
        hint: w.plain('cards.underReview.hint'),
      },
      [this.builder.actionButton(app, 'withdraw', w)],
      render,
    );
  }
}
