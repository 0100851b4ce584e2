import { CardFactory as BotCards, type Attachment, type TurnContext } from '../bot/framework';
import actionForms from './actionForms.json';
import formFields from './applicationFormFields.json';
import decisionSheetFields from './decisionSheetFields.json';
import applicationSummary from './templates/applicationSummary.json';
import basicInfoForm from './templates/basicInfoForm.json';
import { md } from '../escape';
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
}

/** How cards are rendered for this turn's channel (Teams gets Action.Execute). */
export function renderFor(ctx: TurnContext, refreshUserIds?: string[]): RenderContext {
  return { channelId: ctx.activity.channelId, refreshUserIds };
}

type ActionFormName = keyof typeof actionForms;
type FormSpec = { label: string; style?: string; inputs?: InputSpec[] };

/** Builds every card the bot sends from the JSON templates and form data beside this file. */
export class CardBuilder {
  /** A button that takes a workflow action on one version of one application. */
  actionButton(app: Pick<ApplicationView, 'id' | 'version'>, action: string): ButtonSpec {
    const form = (actionForms as Record<string, FormSpec>)[action as ActionFormName] ?? { label: action };
    return {
      label: form.label,
      style: form.style,
      inputs: form.inputs,
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
    return this.render(applicationSummary as unknown as Json, { noteLabel: 'Note', ...data }, buttons, ctx);
  }

  /** The basic-information form, keeping what the partner typed and showing each field's problem. */
  basicInfoForm(
    app: ApplicationView,
    typed: Record<string, string>,
    errors: Record<string, string>,
    ctx: RenderContext,
    formError?: string,
  ): Attachment {
    const fields = formFields.fields.map((f) => {
      const saved = (app as Record<string, unknown>)[f.id];
      const value =
        typed[f.id] ?? (Array.isArray(saved) ? saved.join(', ') : saved === undefined ? '' : String(saved));
      return {
        ...f,
        value,
        isText: f.kind !== 'choice',
        isChoice: f.kind === 'choice',
        required: !('optional' in f && f.optional),
        hint: `${f.label} is required`,
        error: errors[f.id] ?? '',
        choices: 'choices' in f ? f.choices : [],
      };
    });
    const base = { applicationId: app.id, version: app.version };
    return this.render(
      basicInfoForm as unknown as Json,
      {
        companyName: app.companyName ?? '',
        fields,
        formError: formError ?? '',
        warnings: app.warnings ?? [],
      },
      [
        { label: 'Save draft', data: { verb: VERBS.saveDraft, ...base } },
        { label: 'Submit application', style: 'positive', data: { verb: VERBS.submitForm, ...base } },
      ],
      ctx,
    );
  }

  /** The BD's decision-sheet form: Basic information and Commission Policy Information. */
  decisionSheetForm(app: ApplicationView, ctx: RenderContext): Attachment {
    const current = app.decisionSheet;
    const inputs = (group: 'basicInfo' | 'commissionPolicy') =>
      decisionSheetFields[group].map((f) => ({
        ...f,
        id: `${group}.${f.id}`,
        required: true,
        value: current ? String(current[group][f.id] ?? '') : '',
      }));
    return this.summary(
      {
        heading: 'Decision sheet',
        companyName: app.companyName,
        facts: [{ title: 'Business type', value: app.businessType ?? '—' }],
        note: app.status === 'terms_correction' ? app.note : null,
        noteLabel: 'The partner asked for this revision',
        hint: 'Fill in what you agreed with the partner; they confirm it or ask for a modification.',
      },
      [
        {
          label: 'Send decision sheet to the partner',
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

  /** Support's card for a question the guide could not answer: the question and a reply box. */
  handoverQuestion(handoverId: string, from: string, question: string): Attachment {
    return BotCards.adaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'A partner needs an answer', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: `"${md(question, { multiline: true })}"`, wrap: true },
        {
          type: 'TextBlock',
          text: `From ${md(from)}. The onboarding guide had no answer.`,
          isSubtle: true,
          wrap: true,
        },
        {
          type: 'Input.Text',
          id: 'answer',
          label: 'Your answer',
          isMultiline: true,
          isRequired: true,
          // Without it Web Chat refuses the whole card (an empty bubble).
          errorMessage: 'Type the answer first',
        },
      ],
      actions: [
        {
          type: 'Action.Submit',
          title: 'Send to the partner',
          data: { verb: VERBS.handoverAnswer, handoverId },
        },
      ],
    });
  }

  decisionSheetInputIds(): { basicInfo: string[]; commissionPolicy: string[] } {
    return {
      basicInfo: decisionSheetFields.basicInfo.map((f) => f.id),
      commissionPolicy: decisionSheetFields.commissionPolicy.map((f) => f.id),
    };
  }

  labelOf(group: 'basicInfo' | 'commissionPolicy', id: string): string {
    return decisionSheetFields[group].find((f) => f.id === id)?.label ?? id;
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
          errorMessage: `${i.label} is required`,
          value: i.value ?? '',
        })),
        actions: [submit(b.label)],
      },
    } as Json;
  }
}
