import { CardFactory as BotCards, type Attachment, type TurnContext } from '../bot/framework';
import actionForms from './actionForms.json';
import formFields from './applicationFormFields.json';
import decisionSheetFields from './decisionSheetFields.json';
import applicationSummary from './templates/applicationSummary.json';
import basicInfoForm from './templates/basicInfoForm.json';
import { md } from '../escape';
import { lines, type Wording, type WordKey } from '../i18n/catalogue';
import type { Language } from '../i18n/language';
import { bindTemplate, type Json } from './templateBinder';
import { VERBS, type CardData } from './verbs';
import type { ApplicationView } from '../workflow/schemas';

export interface InputSpec {
  id: string;
  label: string;
  placeholder?: string;
  multiline?: boolean;
  required?: boolean;
  value?: string;
}

export interface ButtonSpec {
  label: string;
  style?: string;
  data: CardData;
  /** Shown in a sub-card before sending (Action.ShowCard), e.g. a reject reason. */
  inputs?: InputSpec[];
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

type FormSpec = { style?: string; inputs?: { id: string; multiline?: boolean; required?: boolean }[] };
const FORMS = actionForms as Record<string, FormSpec>;
export type DecisionSheetGroup = keyof typeof decisionSheetFields;

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
  actionButton(app: Pick<ApplicationView, 'id' | 'version'>, action: string, w: Wording): ButtonSpec {
    const form = FORMS[action] ?? {};
    return {
      label: actionLabel(action, w),
      style: form.style,
      inputs: form.inputs?.map((i) => ({
        ...i,
        label: w.plain(`actions.${action}.inputs.${i.id}.label` as WordKey),
        placeholder: placeholderOf(`actions.${action}.inputs.${i.id}.placeholder`, w),
      })),
      data: { verb: VERBS.act, action, applicationId: app.id, version: app.version },
    };
  }

  summary(
    data: {
      heading: string;
      companyName?: string;
      statusTitle?: string;
      facts?: { title: string; value: string }[];
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

  /** The basic-information form, keeping what the partner typed and showing each field's problem. */
  basicInfoForm(
    app: ApplicationView,
    typed: Record<string, string>,
    errors: Record<string, string>,
    ctx: RenderContext,
    formError?: string,
  ): Attachment {
    const w = ctx.words;
    const fields = formFields.fields.map((f) => {
      const saved = (app as Record<string, unknown>)[f.id];
      const value =
        typed[f.id] ?? (Array.isArray(saved) ? saved.join(', ') : saved === undefined ? '' : String(saved));
      const label = fieldLabel(f.id, w);
      const placeholder = `fields.${f.id}.placeholder`;
      return {
        ...f,
        label,
        placeholder: w.has(placeholder) ? w.plain(placeholder) : '',
        value,
        isText: f.kind !== 'choice',
        isChoice: f.kind === 'choice',
        required: !('optional' in f && f.optional),
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
        warnings: app.warnings ?? [],
      },
      [
        { label: w.plain('cards.basicInfo.saveDraft'), data: { verb: VERBS.saveDraft, ...base } },
        {
          label: w.plain('cards.basicInfo.submit'),
          style: 'positive',
          data: { verb: VERBS.submitForm, ...base },
        },
      ],
      ctx,
    );
  }

  /** The BD's decision-sheet form: Basic information and Commission Policy Information. */
  decisionSheetForm(app: ApplicationView, ctx: RenderContext): Attachment {
    const w = ctx.words;
    const current = app.decisionSheet;
    const inputs = (group: DecisionSheetGroup) =>
      decisionSheetFields[group].map((id) => ({
        id: `${group}.${id}`,
        label: this.labelOf(group, id, w),
        placeholder: w.plain(`decisionSheetFields.${group}.${id}.placeholder` as WordKey),
        required: true,
        value: current ? String(current[group][id] ?? '') : '',
      }));
    return this.summary(
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
          inputs: [...inputs('basicInfo'), ...inputs('commissionPolicy')],
          data: { verb: VERBS.fillDecisionSheet, applicationId: app.id, version: app.version },
        },
      ],
      ctx,
    );
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

  /**
   * Support's card for a question the guide could not answer: the question and a reply box.
   * Built here, not from a template: each typed value is escaped as the wording places it.
   */
  handoverQuestion(handoverId: string, from: string, question: string, w: Wording): Attachment {
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: w.t('handover.card.heading'), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: w.t('handover.card.question', { question: lines(question) }), wrap: true },
        { type: 'TextBlock', text: w.t('handover.card.from', { user: from }), isSubtle: true, wrap: true },
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
          data: { verb: VERBS.handoverAnswer, handoverId },
        },
      ],
    });
  }

  decisionSheetInputIds(): Record<DecisionSheetGroup, string[]> {
    return {
      basicInfo: [...decisionSheetFields.basicInfo],
      commissionPolicy: [...decisionSheetFields.commissionPolicy],
    };
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
    if (!b.inputs?.length) return submit(b.label);
    return {
      type: 'Action.ShowCard',
      title: b.label,
      card: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: b.inputs.map((i) => ({
          type: 'Input.Text',
          id: i.id,
          label: i.label,
          placeholder: i.placeholder ?? '',
          isMultiline: Boolean(i.multiline),
          isRequired: Boolean(i.required),
          errorMessage: ctx.words.plain('cards.required', { label: i.label }),
          value: i.value ?? '',
        })),
        actions: [submit(b.label)],
      },
    } as Json;
  }
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
 * The line a decided card shows, e.g. "Approved by bd-alice on 26 Nov 2026". Card text, which
 * the binder escapes as a whole: the actor goes in as it is.
 */
export function actionOutcome(action: string, actor: string, when: string, w: Wording): string {
  // English starts the line with it ("Approved by …"); the actor's id is never capitalised.
  const done = actionDone(action, w);
  return w.plain('bd.outcome', {
    done: done.charAt(0).toUpperCase() + done.slice(1),
    actor,
    date: w.date(when),
  });
}

function placeholderOf(key: string, w: Wording): string | undefined {
  return w.has(key) ? w.plain(key) : undefined;
}
