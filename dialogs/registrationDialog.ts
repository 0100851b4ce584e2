import { randomUUID } from 'node:crypto';
import {
  ConfirmPrompt,
  MessageFactory,
  TextPrompt,
  WaterfallDialog,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import type { BotServices } from './helpers/botServices';
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

export const REGISTRATION_CHECKLIST = [
  '**Before you apply (guide 2.1)**',
  '1. Register an account on the Alibaba Cloud International home page: https://www.alibabacloud.com/',
  '2. Complete enterprise certification: https://account-console.alibabacloud.com/#/newIntlAuth',
  '3. Qualification review: your BD explains the requirements and prepares the onboarding interview.',
  '4. Invitation: after the interview your BD shares the invitation and you submit the application.',
].join('\n\n');

const Q1 =
  'If the system shows "Your account has not completed enterprise verification", the enterprise real-name ' +
  'authentication was not carried out when the account was registered. Click **Go to Verify** or open ' +
  'https://account-console.alibabacloud.com/#/newIntlAuth, complete it, then say **start** here. (FAQ Q1)';

/** Guide 2.1 steps 1-2: checklist, certification (FAQ Q1), then company name, Main UID and e-mail. */
export class RegistrationDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.registration, services);
    this.addDialog(new ConfirmPrompt(CERTIFIED))
      .addDialog(new TextPrompt(COMPANY, fieldValidator('companyName')))
      .addDialog(new TextPrompt(MAIN_UID, fieldValidator('mainUid')))
      .addDialog(new TextPrompt(EMAIL, fieldValidator('contactEmail')))
      .addDialog(
        new TextPrompt(RETRY, async (p) =>
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

  private async checklist(step: WaterfallStepContext) {
    (step.values as Collected).idempotencyKey = randomUUID();
    await step.context.sendActivity(REGISTRATION_CHECKLIST);
    return step.prompt(CERTIFIED, {
      prompt: 'Have you registered your Alibaba Cloud account and completed enterprise certification?',
      retryPrompt: 'Please answer yes or no: is your enterprise certification complete?',
    });
  }

  private async askCompany(step: WaterfallStepContext) {
    if (!step.result) {
      await step.context.sendActivity(Q1);
      return step.endDialog();
    }
    return step.prompt(COMPANY, {
      prompt: 'What is the company name, exactly as certified?',
      retryPrompt: 'Please type the company name (up to 200 characters).',
    });
  }

  private async askMainUid(step: WaterfallStepContext) {
    (step.values as Collected).companyName = String(step.result).trim();
    return step.prompt(MAIN_UID, {
      prompt: 'What is the Main UID of the account you registered? (16 digits, shown in the account console)',
      retryPrompt: 'A Main UID is exactly 16 digits, for example 5123456789012345. Please type it again.',
    });
  }

  private async askEmail(step: WaterfallStepContext) {
    (step.values as Collected).mainUid = String(step.result).trim();
    return step.prompt(EMAIL, {
      prompt: 'Which contact e-mail should receive the reminders?',
      retryPrompt: 'That does not look like an e-mail address. Please type one such as name@company.com.',
    });
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
      await step.context.sendActivity(await this.runner.explain(user, '', 'register', r.error));
      if (r.error.kind === 'http') return step.endDialog();
      return step.prompt(RETRY, {
        prompt: 'Your answers are kept. Type **retry** to send the registration again, or **cancel**.',
        retryPrompt: 'Type **retry** to send your registration again, or **cancel**.',
      });
    }
    const app = r.value;
    const card = this.services.cards.reviewRequest(app, this.render(step.context), {
      heading: 'Registered',
      hint: 'Next (guide 2.1 step 3): ask for the qualification review. Your BD will explain the requirements and prepare the onboarding interview.',
    });
    await step.context.sendActivity(MessageFactory.attachment(card));
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
