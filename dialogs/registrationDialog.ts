import { randomUUID } from 'node:crypto';
import {
  WaterfallDialog,
  type PromptValidatorContext,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { trusted, type Wording } from '../src/i18n/catalogue';
import type { BotServices } from './helpers/botServices';
import type { UserProfile, UserProfileAccessor } from './helpers/userProfile';
import { worded, WordedTextPrompt, YesNoPrompt } from './helpers/wordedPrompts';
import { applicationFieldShape } from '../src/workflow/schemas';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';

const CERTIFIED = 'registration.certified';
const COMPANY = 'registration.company';
const MAIN_UID = 'registration.mainUid';
const EMAIL = 'registration.email';
const FLOW = 'registration.flow';
const SEND = 'registration.send';
const RETRY = 'registration.retry';

interface Collected {
  companyName?: string;
  mainUid?: string;
  idempotencyKey: string;
}

type Draft = NonNullable<UserProfile['registration']>;

/** What a registration begun so far holds, for "I kept …" (cancel, status) and "picking up …". */
export function registrationDraftText(draft: Draft, w: Wording): string | undefined {
  const parts = [
    draft.companyName ? w.t('registration.kept.company', { company: draft.companyName }) : undefined,
    draft.mainUid ? w.t('registration.kept.mainUid', { uid: draft.mainUid }) : undefined,
  ].filter((p): p is string => Boolean(p));
  if (!parts.length) return draft.certified ? w.t('registration.kept.certified') : undefined;
  return w.list(parts);
}

/**
 * Guide 2.1 steps 1-2: checklist, certification (FAQ Q1), then company name, Main UID and e-mail.
 * Each answer is kept in the person's profile as it is given: cancel (or leaving) loses nothing,
 * and the next start picks up at the first question not yet answered.
 */
export class RegistrationDialog extends StepDialog {
  constructor(
    services: BotServices,
    private readonly profile: UserProfileAccessor | undefined = services.profile,
  ) {
    super(DIALOG.registration, services);
    const catalogue = services.catalogue;
    this.addDialog(new YesNoPrompt(CERTIFIED, catalogue))
      .addDialog(new WordedTextPrompt(COMPANY, catalogue, fieldValidator('companyName')))
      .addDialog(new WordedTextPrompt(MAIN_UID, catalogue, fieldValidator('mainUid')))
      .addDialog(new WordedTextPrompt(EMAIL, catalogue, fieldValidator('contactEmail')))
      .addDialog(
        new WordedTextPrompt(RETRY, catalogue, async (p) =>
          /^\s*(retry|try again|again|重试)\s*$/i.test(p.recognized.value ?? ''),
        ),
      )
      .addDialog(new WaterfallDialog(SEND, [this.send.bind(this), this.resend.bind(this)]))
      .addDialog(
        new WaterfallDialog(FLOW, [
          this.checklist.bind(this),
          this.askCompany.bind(this),
          this.askMainUid.bind(this),
          this.askEmail.bind(this),
          this.register.bind(this),
          async (step) => step.endDialog(step.result),
        ]),
      );
    this.initialDialogId = FLOW;
  }

  private async draft(ctx: TurnContext): Promise<Draft> {
    return (this.profile ? (await this.profile.get(ctx, {})).registration : undefined) ?? {};
  }

  private async keep(ctx: TurnContext, change: Partial<Draft> | null): Promise<void> {
    if (!this.profile) return;
    const p = await this.profile.get(ctx, {});
    await this.profile.set(ctx, {
      ...p,
      registration: change ? { ...p.registration, ...change } : undefined,
    });
  }

  private async checklist(step: WaterfallStepContext) {
    (step.values as Collected).idempotencyKey = randomUUID();
    const w = this.words(step.context);
    const draft = await this.draft(step.context);
    const kept = registrationDraftText(draft, w);
    if (kept) await step.context.sendActivity(w.t('registration.resuming', { kept: trusted(kept) }));
    if (draft.certified) return step.next(true);
    await step.context.sendActivity(w.t('registration.checklist'));
    return step.prompt(CERTIFIED, worded('registration.certified.prompt', 'registration.certified.retry'));
  }

  private async askCompany(step: WaterfallStepContext) {
    if (!step.result) {
      await step.context.sendActivity(this.words(step.context).t('registration.notCertified'));
      return step.endDialog();
    }
    await this.keep(step.context, { certified: true });
    const { companyName } = await this.draft(step.context);
    if (companyName) return step.next(companyName);
    return step.prompt(COMPANY, worded('registration.company.prompt', 'registration.company.retry'));
  }

  private async askMainUid(step: WaterfallStepContext) {
    const companyName = String(step.result).trim();
    (step.values as Collected).companyName = companyName;
    await this.keep(step.context, { companyName });
    const { mainUid } = await this.draft(step.context);
    if (mainUid) return step.next(mainUid);
    return step.prompt(MAIN_UID, worded('registration.mainUid.prompt', 'registration.mainUid.retry'));
  }

  private async askEmail(step: WaterfallStepContext) {
    const mainUid = String(step.result).trim();
    (step.values as Collected).mainUid = mainUid;
    await this.keep(step.context, { mainUid });
    return step.prompt(EMAIL, worded('registration.email.prompt', 'registration.email.retry'));
  }

  private async register(step: WaterfallStepContext) {
    const values = step.values as Collected;
    const request: SendOptions = {
      companyName: values.companyName!,
      mainUid: values.mainUid!,
      contactEmail: String(step.result).trim(),
      // One key per registration dialog: a retried turn cannot register the company twice.
      idempotencyKey: `register-${values.idempotencyKey}`,
    };
    return step.beginDialog(SEND, request);
  }

  /** Sends the registration; when the service is unreachable, keeps the answers and offers a retry. */
  private async send(step: WaterfallStepContext) {
    const request = step.options as SendOptions;
    const user = this.user(step.context);
    const { idempotencyKey, ...payload } = request;
    const r = await this.services.workflow.register(user.userId, payload, { idempotencyKey });
    if (!r.ok) {
      await step.context.sendActivity(await this.runner.explain(step.context, user, '', 'register', r.error));
      if (r.error.kind === 'http') return step.endDialog();
      return step.prompt(RETRY, worded('registration.resend.prompt', 'registration.resend.retry'));
    }
    const app = r.value;
    await this.keep(step.context, null);
    const w = this.words(step.context);
    const card = this.services.cards.reviewRequest(app, this.render(step.context), {
      heading: w.plain('registration.registered.heading'),
      hint: w.plain('registration.registered.hint'),
    });
    await this.post.send(step.context, card, { about: { app, kind: 'partner' } });
    return step.endDialog(app);
  }

  private async resend(step: WaterfallStepContext) {
    return step.replaceDialog(SEND, step.options);
  }
}

interface SendOptions {
  companyName: string;
  mainUid: string;
  contactEmail: string;
  idempotencyKey: string;
}

/** Validates a typed answer with the same zod rule the workflow API applies. */
function fieldValidator(field: 'companyName' | 'mainUid' | 'contactEmail') {
  return async (prompt: PromptValidatorContext<string>) =>
    prompt.recognized.succeeded && applicationFieldShape[field].safeParse(prompt.recognized.value).success;
}
