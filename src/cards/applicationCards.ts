import type { Attachment } from '../bot/framework';
import type { NameBook } from '../bot/peopleDirectory';
import type { Wording, WordKey } from '../i18n/catalogue';
import type { RoleDirectory } from '../roles';
import { DECISION_SHEET_GROUPS } from '../workflow/decisionSheet';
import { actionsFrom, STATUS_INFO, type ActionName } from '../workflow/machine';
import type { ApplicationView, HistoryEntry } from '../workflow/schemas';
import {
  choiceTitle,
  fieldLabel,
  type ButtonSpec,
  type CardBuilder,
  type RenderContext,
} from './cardBuilder';
import { historyLine } from './historyText';
import { statusTitle } from './statusText';
import { changedTerms, termValue, type DecisionSheet } from './termsText';
import { VERBS } from './verbs';

/** The card updated in place after a decision; the bot returns it to Teams' invoke. */
export const UPDATED_CARD = Symbol('updatedCard');

/** Which read-only summary a card becomes once someone acted on its application. */
export type CardKind = 'staff' | 'partner';

type Fact = { title: string; value: string };

/** The heading over each group of the decision sheet. */
const GROUP_HEADING = {
  basicInfo: 'cards.terms.basicInfoDivider',
  commissionPolicy: 'cards.terms.commissionDivider',
} as const;

/** An e-mail to the application's people that could not be delivered (shown to staff). */
export interface MailProblem {
  address: string;
  detail: string;
  at: string;
}

/**
 * The cards of an application, for whoever shows them (the dialogs and the notifier):
 * built from the templates by CardBuilder, in the reader's language (the render context's
 * wording), with dates in the business time zone. Card text is plain wording: the binder
 * escapes every value it places. People are named by name (a NameBook), never by id.
 */
export class ApplicationCards {
  constructor(
    readonly builder: CardBuilder,
    private readonly roles: RoleDirectory,
  ) {}

  /** The staff view of an application: summary, terms, history, and the buttons the viewer's role may press. */
  staff(
    app: ApplicationView,
    render: RenderContext,
    opts: {
      withButtons: boolean;
      outcome?: string;
      history?: HistoryEntry[];
      people?: NameBook;
      mailProblems?: MailProblem[];
    },
  ): Attachment {
    const w = render.words;
    const none = w.plain('common.none');
    const facts: Fact[] = [
      { title: w.plain('cards.staff.status'), value: statusTitle(app.status, w, 'staff') },
      ...(app.bdUserId && opts.people
        ? [{ title: w.plain('cards.staff.bd'), value: opts.people.label(app.bdUserId, w) }]
        : []),
      ...this.fieldFacts(app, w, none),
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
    ];
    const history = (opts.history ?? []).map((h) => ({
      line: w.plain('cards.staff.historyLine', {
        date: w.date(h.occurredAt),
        what: opts.people ? historyLine(h, opts.people, w) : h.action,
      }),
    }));
    const buttons: ButtonSpec[] = opts.withButtons
      ? actionsFrom(app.status)
          .filter((t) => t.who === 'bd' && t.action !== 'fill-decision-sheet')
          .map((t) => this.builder.actionButton(app, t.action, w))
      : [];
    return this.builder.summary(
      {
        heading: app.companyName ?? w.plain('cards.staff.application'),
        companyName: statusTitle(app.status, w, 'staff'),
        facts,
        groups: this.termGroups(app.decisionSheet, w),
        history,
        historyHeading: w.plain('cards.staff.historyHeading'),
        note: app.note,
        noteLabel: this.noteLabel(app, w),
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
    people?: NameBook,
    mailProblems?: MailProblem[],
  ): Attachment {
    const waiting = STATUS_INFO[app.status].waitingOn === 'bd';
    if (waiting && (app.status === 'qualified' || app.status === 'terms_correction')) {
      return this.builder.decisionSheetForm(app, render);
    }
    return this.staff(app, render, { withButtons: waiting, outcome, people, mailProblems });
  }

  /**
   * The partner's decision sheet (guide 2.3): Basic information and Commission Policy
   * Information, confirm or modify. After a correction, each changed entry says what it was.
   */
  terms(app: ApplicationView, render: RenderContext, previous?: DecisionSheet | null): Attachment {
    const w = render.words;
    const b = this.builder;
    const changed = app.decisionSheet ? changedTerms(previous, app.decisionSheet) : new Map();
    return b.summary(
      {
        heading: w.plain('cards.terms.heading'),
        companyName: app.companyName,
        statusTitle: w.plain('cards.terms.statusTitle'),
        groups: this.termGroups(app.decisionSheet, w, changed),
        note: changed.size ? w.plain('cards.terms.changedHint') : null,
        noteLabel: w.plain('cards.terms.changedLabel'),
        hint: w.plain('cards.terms.hint'),
      },
      [b.actionButton(app, 'confirm-terms', w), b.actionButton(app, 'request-modification', w)],
      render,
    );
  }

  /**
   * What the partner sent and agreed, read-only: the application's fields and, once there is
   * one, the decision sheet. What a partner card becomes once acted on, and the read-back.
   */
  partnerSummary(
    app: ApplicationView,
    render: RenderContext,
    opts: { outcome?: string; heading?: string; termsOnly?: boolean } = {},
  ): Attachment {
    const w = render.words;
    return this.builder.summary(
      {
        heading: opts.heading ?? w.plain('cards.summary.heading'),
        companyName: app.companyName,
        statusTitle: statusTitle(app.status, w),
        // What was given: an entry not filled in yet is left out, not shown as a dash.
        facts: opts.termsOnly ? [] : this.fieldFacts(app, w, '').filter((f) => f.value !== ''),
        groups: this.termGroups(app.decisionSheet, w),
        outcome: opts.outcome,
      },
      [],
      render,
    );
  }

  /** A card that was acted on, as every copy of it reads afterwards: what happened, by whom, when; no buttons. */
  retired(
    kind: CardKind,
    app: ApplicationView,
    render: RenderContext,
    outcome: string,
    people?: NameBook,
  ): Attachment {
    return kind === 'staff'
      ? this.staff(app, render, { withButtons: false, outcome, people })
      : this.partnerSummary(app, render, { outcome });
  }

  /**
   * A rejected application, for its partner: the reason, and the way back the BD left open
   * (apply again with everything kept, or ask for the review again), or that there is none.
   */
  rejected(app: ApplicationView, render: RenderContext): Attachment {
    const w = render.words;
    const way: ActionName | undefined = app.closed
      ? undefined
      : app.rejectedFrom === 'qualification_review'
        ? 'request-qualification-review'
        : 'reapply';
    const hint = app.closed
      ? 'cards.rejected.closedHint'
      : way === 'reapply'
        ? 'cards.rejected.reapplyHint'
        : 'cards.rejected.reviewAgainHint';
    return this.builder.summary(
      {
        heading: w.plain(
          app.rejectedFrom === 'qualification_review' ? 'cards.rejected.declined' : 'cards.rejected.heading',
        ),
        companyName: app.companyName,
        note: app.note,
        noteLabel: w.plain('cards.staff.reason'),
        hint: w.plain(hint),
      },
      way ? [this.builder.actionButton(app, way, w)] : [],
      render,
    );
  }

  /**
   * "Are you sure?" for an irreversible step asked for in words (typed "withdraw", "I agree with
   * the terms"): what will be sent, what it means, and Yes / Not now. Typing yes or no answers too.
   */
  confirmation(app: ApplicationView, action: ActionName, render: RenderContext): Attachment {
    const w = render.words;
    const terms = action === 'confirm-terms';
    return this.builder.summary(
      {
        heading: w.plain(`actions.${action}.ask` as WordKey),
        companyName: app.companyName,
        facts: terms ? [] : this.fieldFacts(app, w, w.plain('common.none')),
        groups: terms ? this.termGroups(app.decisionSheet, w) : [],
        hint: w.plain(`actions.${action}.confirm.text` as WordKey, { company: app.companyName ?? '' }),
      },
      [
        {
          label: w.plain(`actions.${action}.confirm.yes` as WordKey),
          style: 'positive',
          data: { verb: VERBS.act, action, applicationId: app.id, version: app.version },
        },
        { label: w.plain('confirm.notNow'), data: { verb: VERBS.notNow, action, applicationId: app.id } },
      ],
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

  /** The application's fields as facts, in the form's order. */
  private fieldFacts(app: ApplicationView, w: Wording, none: string): Fact[] {
    return [
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
    ];
  }

  /** The decision sheet as facts under its two headings; a changed entry says what it was. */
  private termGroups(
    sheet: DecisionSheet | null | undefined,
    w: Wording,
    changed: Map<string, string | number | boolean | undefined> = new Map(),
  ): { heading: string; facts: Fact[] }[] {
    if (!sheet) return [];
    const b = this.builder;
    return DECISION_SHEET_GROUPS.map((group) => ({
      heading: w.plain(GROUP_HEADING[group]),
      facts: Object.entries(sheet[group] ?? {}).map(([id, v]) => {
        const value = termValue(group, id, v, w);
        const key = `${group}.${id}`;
        const was = changed.get(key);
        return {
          title: b.labelOf(group, id, w),
          value: !changed.has(key)
            ? value
            : was === undefined
              ? w.plain('cards.terms.new', { value })
              : w.plain('cards.terms.was', { value, before: termValue(group, id, was, w) }),
        };
      }),
    }));
  }

  private noteLabel(app: ApplicationView, w: Wording): string {
    if (app.status === 'terms_correction') return w.plain('cards.staff.modificationRequest');
    if (app.status === 'rejected') return w.plain('cards.staff.reason');
    if (app.status === 'draft') return w.plain('cards.staff.previousReason');
    if (app.status === 'qualified') return w.plain('cards.staff.approvalComment');
    return w.plain('cards.note');
  }
}
