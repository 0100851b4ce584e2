import { CardFactory as BotCards, type Attachment, type TurnContext } from '../bot/framework';
import actionForms from './actionForms.json';
import formFields from './applicationFormFields.json';
import applicationSummary from './templates/applicationSummary.json';
import basicInfoForm from './templates/basicInfoForm.json';
import { md } from '../escape';
import { lines, type Wording, type WordKey } from '../i18n/catalogue';
import type { Language } from '../i18n/language';
import {
  CURRENCIES,
  DECISION_SHEET_GROUPS,
  entriesOf,
  type DecisionSheetGroup,
  type EntryKind,
} from '../workflow/decisionSheet';
import { bindTemplate, type Json } from './templateBinder';
import { VERBS, type CardData } from './verbs';
import type { ApplicationView } from '../workflow/schemas';

export type { DecisionSheetGroup };

export interface InputSpec {
  id: string;
  label: string;
  placeholder?: string;
  multiline?: boolean;
  required?: boolean;
  value?: string;
  /** text (default), toggle (a yes/no box), date, number, choice. */
  kind?: 'text' | 'toggle' | 'date' | 'number' | 'choice';
  choices?: { title: string; value: string }[];
  min?: number;
  max?: number;
  /** What is wrong with what was typed, shown under the input. */
  error?: string;
  /** What the card says when it refuses the input (empty, or out of range); "<label> is required" by default. */
  rule?: string;
}

export interface ButtonSpec {
  label: string;
  style?: string;
  data: CardData;
  /** Shown in a sub-card before sending (Action.ShowCard), e.g. a reject reason. */
  inputs?: InputSpec[];
  /**
   * An irreversible step: the button opens a sub-card saying what will happen (Markdown,
   * typed values already escaped) with the button that does it.
   */
  confirm?: { text: string; yes: string };
}

export interface RenderContext {
  /** Teams gets Action.Execute (with refresh for these users); Web Chat gets Action.Submit. */
  channelId: string;
  refreshUserIds?: string[];
  /** The language of the person the card is for. */
  words: Wording;
}

/** How cards are rendered for this turn's channel (Teams gets Action.Execute), in the person's language. */
export function renderFor(ctx: TurnContext, words: Wording, refreshUserIds?: string[]): RenderContext {
  return { channelId: ctx.activity.channelId, refreshUserIds, words };
}

type FormSpec = {
  style?: string;
  confirm?: boolean;
  inputs?: { id: string; multiline?: boolean; required?: boolean; kind?: 'text' | 'toggle' }[];
};
const FORMS = actionForms as Record<string, FormSpec>;

/** The input each kind of decision-sheet entry is typed in. */
const ENTRY_INPUT: Record<EntryKind, InputSpec['kind']> = {
  text: 'text',
  date: 'date',
  percent: 'number',
  currency: 'choice',
};

/** The rule an entry of each kind must meet, as the card says it when it refuses one. */
const RULE_OF_KIND: Partial<Record<EntryKind, WordKey>> = {
  date: 'validation.date',
  percent: 'validation.percent',
};

/** The template with each `$t(id)` replaced by the wording, whose placeholders the binder then fills. */
function localize(node: Json, w: Wording): Json {
  if (typeof node === 'string')
    return node.replace(/\$t\(([\w.-]+)\)/g, (_m, key: string) => w.template(key as WordKey));
  if (Array.isArray(node)) return node.map((n) => localize(n, w));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, localize(v, w)]));
  }
  return node;
}

/** Builds every card the bot sends from the JSON templates and form data beside this file, in the reader's language. */
export class CardBuilder {
  private readonly templates = new Map<string, Json>();

  /** A button that takes a workflow action on one version of one application. */
  actionButton(
    app: Pick<ApplicationView, 'id' | 'version' | 'companyName'>,
    action: string,
    w: Wording,
  ): ButtonSpec {
    const form = FORMS[action] ?? {};
    return {
      label: actionLabel(action, w),
      style: form.style,
      inputs: form.inputs?.map((i) => ({
        ...i,
        label: w.plain(`actions.${action}.inputs.${i.id}.label` as WordKey),
        placeholder: placeholderOf(`actions.${action}.inputs.${i.id}.placeholder`, w),
      })),
      confirm: form.confirm ? confirmOf(action, app.companyName, w) : undefined,
      data: { verb: VERBS.act, action, applicationId: app.id, version: app.version },
    };
  }

  summary(
    data: {
      heading: string;
      companyName?: string;
      statusTitle?: string;
      facts?: { title: string; value: string }[];
      /** Facts under headings of their own (the decision sheet's two groups). */
      groups?: { heading: string; facts: { title: string; value: string }[] }[];
      /** Lines under a heading (an application's history). */
      history?: { line: string }[];
      historyHeading?: string;
      note?: string | null;
      noteLabel?: string;
      warnings?: { message: string }[];
      outcome?: string;
      hint?: string;
    },
    buttons: ButtonSpec[],
    ctx: RenderContext,
  ): Attachment {
    return this.render(
      this.template('summary', applicationSummary as unknown as Json, ctx.words),
      { noteLabel: ctx.words.plain('cards.note'), ...data },
      buttons,
      ctx,
    );
  }

  /**
   * The basic-information form, keeping what the partner typed and showing each field's problem.
   * Save and Submit both work from the same card, in any order (they act on the draft as it is
   * now, not on the version the card was built for); Submit first says what submitting means.
   */
  basicInfoForm(
    app: ApplicationView,
    typed: Record<string, string>,
    errors: Record<string, string>,
    ctx: RenderContext,
    formError?: string,
    notice?: string,
  ): Attachment {
    const w = ctx.words;
    const fields = formFields.fields.map((f) => {
      const saved = (app as Record<string, unknown>)[f.id];
      const value =
        typed[f.id] ?? (Array.isArray(saved) ? saved.join(', ') : saved === undefined ? '' : String(saved));
      const label = fieldLabel(f.id, w);
      const placeholder = `fields.${f.id}.placeholder`;
      const required = !('optional' in f && f.optional);
      return {
        ...f,
        // Marked, not enforced by the card: Web Chat and Teams refuse every button of a card whose
        // required inputs are empty, and a half-filled draft must still save. Submit is checked here.
        label: required ? w.plain('cards.basicInfo.requiredLabel', { label }) : label,
        placeholder: w.has(placeholder) ? w.plain(placeholder) : '',
        value,
        isText: f.kind !== 'choice',
        isChoice: f.kind === 'choice',
        required: false,
        hint: w.plain('cards.required', { label }),
        error: errors[f.id] ?? '',
        choices: (f.choices ?? []).map((c) => ({ title: choiceTitle(f.id, c, w), value: c })),
      };
    });
    const base = { applicationId: app.id, version: app.version };
    return this.render(
      this.template('basicInfo', basicInfoForm as unknown as Json, w),
      {
        companyName: app.companyName ?? '',
        fields,
        formError: formError ?? '',
        notice: notice ?? '',
        note: app.note ?? '',
        warnings: app.warnings ?? [],
      },
      [
        { label: w.plain('cards.basicInfo.saveDraft'), data: { verb: VERBS.saveDraft, ...base } },
        {
          label: w.plain('cards.basicInfo.submit'),
          style: 'positive',
          confirm: confirmOf('submit', app.companyName, w),
          data: { verb: VERBS.submitForm, ...base },
        },
      ],
      ctx,
    );
  }

  /**
   * The BD's decision-sheet form: Basic information and Commission Policy Information, each
   * entry typed in the input its kind needs (a date picker, a number, a currency list), with
   * what was typed and each entry's problem kept when it is shown again.
   */
  decisionSheetForm(
    app: ApplicationView,
    ctx: RenderContext,
    typed: Record<string, string> = {},
    errors: Record<string, string> = {},
    formError?: string,
  ): Attachment {
    const w = ctx.words;
    const current = app.decisionSheet;
    const inputs: InputSpec[] = [];
    for (const group of DECISION_SHEET_GROUPS) {
      for (const entry of entriesOf(group)) {
        const id = `${group}.${entry.id}`;
        const saved = current?.[group]?.[entry.id];
        const label = this.labelOf(group, entry.id, w);
        inputs.push({
          id,
          label,
          // What the card itself says when the entry is refused: the rule, not just "required".
          rule: RULE_OF_KIND[entry.kind]
            ? w.plain('application.fieldProblem', {
                field: label,
                problem: w.plain(RULE_OF_KIND[entry.kind]!),
              })
            : undefined,
          kind: ENTRY_INPUT[entry.kind],
          placeholder: w.plain(`decisionSheetFields.${group}.${entry.id}.placeholder` as WordKey),
          required: !entry.optional,
          value: typed[id] ?? (saved === undefined ? (entry.default ?? '') : String(saved)),
          ...(entry.kind === 'percent' ? { min: 0, max: 100 } : {}),
          ...(entry.kind === 'currency' ? { choices: CURRENCIES.map((c) => ({ title: c, value: c })) } : {}),
          error: errors[id],
        });
      }
    }
    const card = this.summary(
      {
        heading: w.plain('cards.decisionSheet.heading'),
        companyName: app.companyName,
        facts: [
          {
            title: w.plain('fields.businessType.label'),
            value: app.businessType
              ? choiceTitle('businessType', app.businessType, w)
              : w.plain('common.none'),
          },
        ],
        note: app.status === 'terms_correction' ? app.note : null,
        noteLabel: w.plain('cards.decisionSheet.revisionAsked'),
        hint: w.plain('cards.decisionSheet.hint'),
      },
      [
        {
          label: w.plain('cards.decisionSheet.send'),
          style: 'positive',
          data: { verb: VERBS.fillDecisionSheet, applicationId: app.id, version: app.version },
        },
      ],
      ctx,
    );
    const content = card.content as { body: Json[] };
    if (formError) {
      content.body.push({ type: 'TextBlock', text: md(formError), color: 'Attention', wrap: true });
    }
    for (const i of inputs) content.body.push(...this.input(i, ctx));
    return card;
  }

  /**
   * A one-line card with a few buttons, under an answer (feedback, ask support). Action.Submit
   * on every channel: Teams delivers it as a message, and there is no card to update in place.
   */
  small(text: string, buttons: Pick<ButtonSpec, 'label' | 'data'>[]): Attachment {
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text, size: 'Small', isSubtle: true, wrap: true }],
      actions: buttons.map((b) => ({ type: 'Action.Submit', title: b.label, data: b.data })),
    });
  }

  /** A card with only text (Markdown we wrote; typed values already escaped): what a small card becomes once pressed. */
  note(text: string): Attachment {
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text, size: 'Small', isSubtle: true, wrap: true }],
    });
  }

  /**
   * Support's card for a question the guide could not answer: the ticket, who asked about which
   * application, the question, and what support can do with it (claim, answer, resolve, open the
   * application). Built here, not from a template: each typed value is escaped as the wording
   * places it. Once answered or resolved, `closed` replaces the buttons.
   */
  handoverQuestion(
    ticket: {
      id: string;
      number: number;
      question: string;
      asker: string;
      company?: string;
      step?: string;
      applicationId?: string | null;
      askedAt: string;
      claimedBy?: string;
    },
    w: Wording,
    closed?: string,
  ): Attachment {
    const facts = [
      { title: w.plain('handover.card.askedBy'), value: md(ticket.asker) },
      ...(ticket.company ? [{ title: w.plain('handover.card.company'), value: md(ticket.company) }] : []),
      ...(ticket.step ? [{ title: w.plain('handover.card.step'), value: md(ticket.step) }] : []),
      { title: w.plain('handover.card.askedOn'), value: md(w.date(ticket.askedAt)) },
      ...(ticket.claimedBy
        ? [{ title: w.plain('handover.card.claimedBy'), value: md(ticket.claimedBy) }]
        : []),
    ];
    const data = { handoverId: ticket.id, ticket: ticket.number };
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        {
          type: 'TextBlock',
          text: w.t('handover.card.heading', { ticket: ticket.number }),
          weight: 'Bolder',
          wrap: true,
        },
        {
          type: 'TextBlock',
          text: w.t('handover.card.question', { question: lines(ticket.question) }),
          wrap: true,
        },
        { type: 'FactSet', facts },
        ...(closed ? [{ type: 'TextBlock', text: closed, weight: 'Bolder', color: 'Good', wrap: true }] : []),
      ],
      actions: closed
        ? []
        : [
            {
              type: 'Action.ShowCard',
              title: w.plain('handover.card.answer'),
              card: {
                type: 'AdaptiveCard',
                version: '1.5',
                body: [
                  {
                    type: 'Input.Text',
                    id: 'answer',
                    label: w.plain('handover.card.answerLabel'),
                    isMultiline: true,
                    isRequired: true,
                    // Without it Web Chat refuses the whole card (an empty bubble).
                    errorMessage: w.plain('handover.card.answerMissing'),
                  },
                ],
                actions: [
                  {
                    type: 'Action.Submit',
                    title: w.plain('handover.card.send'),
                    data: { verb: VERBS.handoverAnswer, ...data },
                  },
                ],
              },
            },
            ...(ticket.claimedBy
              ? []
              : [
                  {
                    type: 'Action.Submit',
                    title: w.plain('handover.card.claim'),
                    data: { verb: VERBS.handoverClaim, ...data },
                  },
                ]),
            {
              type: 'Action.Submit',
              title: w.plain('handover.card.resolve'),
              data: { verb: VERBS.handoverResolve, ...data },
            },
            ...(ticket.applicationId
              ? [
                  {
                    type: 'Action.Submit',
                    title: w.plain('handover.card.open'),
                    data: { verb: VERBS.open, applicationId: ticket.applicationId },
                  },
                ]
              : []),
          ],
    });
  }

  /**
   * A list with a row of buttons under each item (support's open tickets and unanswered
   * questions). Item text is Markdown we wrote with the typed values escaped.
   */
  list(
    heading: string,
    items: { text: string; buttons: Pick<ButtonSpec, 'label' | 'data'>[] }[],
    empty: string,
  ): Attachment {
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: heading, weight: 'Bolder', size: 'Medium', wrap: true },
        ...(items.length ? [] : [{ type: 'TextBlock', text: empty, isSubtle: true, wrap: true }]),
        ...items.map((item) => ({
          type: 'Container',
          separator: true,
          items: [
            { type: 'TextBlock', text: item.text, wrap: true },
            ...(item.buttons.length
              ? [
                  {
                    type: 'ActionSet',
                    actions: item.buttons.map((b) => ({
                      type: 'Action.Submit',
                      title: b.label,
                      data: b.data,
                    })),
                  },
                ]
              : []),
          ],
        })),
      ],
    });
  }

  /** A decision-sheet entry's label; an entry the form does not know (sent through the API) shows its id. */
  labelOf(group: DecisionSheetGroup, id: string, w: Wording): string {
    const key = `decisionSheetFields.${group}.${id}.label`;
    return w.has(key) ? w.plain(key) : id;
  }

  /** The templates in one language, localized once. */
  private template(name: string, template: Json, w: Wording): Json {
    const id = `${name}\u0000${w.language satisfies Language}`;
    let t = this.templates.get(id);
    if (!t) {
      t = localize(template, w);
      this.templates.set(id, t);
    }
    return t;
  }

  private render(template: Json, data: unknown, buttons: ButtonSpec[], ctx: RenderContext): Attachment {
    // Every value bound into a card's text or facts is escaped: the templates own the formatting.
    const card = bindTemplate(template, data, (v, multiline) => md(v, { multiline })) as Record<string, Json>;
    card.actions = buttons.map((b) => this.action(b, ctx));
    if (ctx.channelId === 'msteams' && ctx.refreshUserIds?.length && buttons[0]) {
      card.refresh = {
        action: {
          type: 'Action.Execute',
          verb: VERBS.refresh,
          data: { ...buttons[0].data, verb: VERBS.refresh },
        } as Json,
        userIds: ctx.refreshUserIds,
      };
    }
    return BotCards.adaptiveCard(card);
  }

  private action(b: ButtonSpec, ctx: RenderContext): Json {
    const submit = (title: string): Json =>
      ctx.channelId === 'msteams'
        ? ({
            type: 'Action.Execute',
            title,
            verb: b.data.verb,
            data: b.data,
            style: b.style ?? 'default',
          } as Json)
        : ({ type: 'Action.Submit', title, data: b.data, style: b.style ?? 'default' } as Json);
    if (!b.inputs?.length && !b.confirm) return submit(b.label);
    return {
      type: 'Action.ShowCard',
      title: b.label,
      card: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          ...(b.confirm ? [{ type: 'TextBlock', text: b.confirm.text, wrap: true }] : []),
          ...(b.inputs ?? []).flatMap((i) => this.input(i, ctx)),
        ],
        actions: [submit(b.confirm?.yes ?? b.label)],
      },
    } as Json;
  }

  /** One input as the card shows it, with its label, its "required" message and its problem, if any. */
  private input(i: InputSpec, ctx: RenderContext): Json[] {
    const common = {
      id: i.id,
      label: i.label,
      isRequired: Boolean(i.required),
      errorMessage: i.rule ?? ctx.words.plain('cards.required', { label: i.label }),
    };
    let input: Json;
    switch (i.kind) {
      case 'toggle':
        input = {
          type: 'Input.Toggle',
          id: i.id,
          title: i.label,
          value: 'false',
          valueOn: 'true',
          valueOff: 'false',
        };
        break;
      case 'date':
        input = { type: 'Input.Date', ...common, value: i.value ?? '' };
        break;
      case 'number':
        input = {
          type: 'Input.Number',
          ...common,
          placeholder: i.placeholder ?? '',
          ...(i.value ? { value: Number(i.value) } : {}),
          ...(i.min === undefined ? {} : { min: i.min }),
          ...(i.max === undefined ? {} : { max: i.max }),
        } as Json;
        break;
      case 'choice':
        input = {
          type: 'Input.ChoiceSet',
          ...common,
          style: 'compact',
          value: i.value ?? '',
          choices: (i.choices ?? []) as Json,
        };
        break;
      default:
        input = {
          type: 'Input.Text',
          ...common,
          placeholder: i.placeholder ?? '',
          isMultiline: Boolean(i.multiline),
          value: i.value ?? '',
        };
    }
    return i.error
      ? [
          input,
          {
            type: 'TextBlock',
            text: md(i.error),
            color: 'Attention',
            size: 'Small',
            wrap: true,
            spacing: 'None',
          },
        ]
      : [input];
  }
}

/** What an irreversible step's button says before it acts: the consequence, and the button that does it. */
function confirmOf(action: string, company: string | undefined, w: Wording): ButtonSpec['confirm'] {
  return {
    text: w.t(`actions.${action}.confirm.text` as WordKey, { company: company ?? '' }),
    yes: w.plain(`actions.${action}.confirm.yes` as WordKey),
  };
}

/** A workflow action's button label ("Approve"), or its id for an action the catalogue does not name. */
export function actionLabel(action: string, w: Wording): string {
  const key = `actions.${action}.label`;
  return w.has(key) ? w.plain(key) : action;
}

/** What a finished action is called in a sentence ("approved"), or its id. */
export function actionDone(action: string, w: Wording): string {
  const key = `actions.${action}.done`;
  return w.has(key) ? w.plain(key) : action;
}

/** An application field's label ("Main UID"). */
export function fieldLabel(field: string, w: Wording): string {
  const key = `fields.${field}.label`;
  return w.has(key) ? w.plain(key) : field;
}

/** A choice's title, e.g. the business type "reseller" as "Reseller". */
export function choiceTitle(field: string, value: string, w: Wording): string {
  const key = `fields.${field}.choices.${value}`;
  return w.has(key) ? w.plain(key) : value;
}

/**
 * What happened, who did it and when, e.g. "Approved by Alice Chen on 26 Nov 2026": the line a
 * decided card shows and the start of "Already …". `who` is a name or "you" (never an id);
 * the text is plain, escaped as a whole where it is placed.
 */
export function actionOutcome(action: string, who: string, when: string, w: Wording, asLine = true): string {
  const key = `actions.${action}.outcome`;
  const text = w.has(key)
    ? w.plain(key, { who, date: w.date(when) })
    : w.plain('bd.outcome', { done: actionDone(action, w), actor: who, date: w.date(when) });
  // English starts a card's line with a capital ("Approved by …"), not "Already approved by …".
  return asLine && w.language === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function placeholderOf(key: string, w: Wording): string | undefined {
  return w.has(key) ? w.plain(key) : undefined;
}
