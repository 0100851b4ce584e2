import {
  ListStyle,
  Prompt,
  TextPrompt,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
  type TurnContext,
} from '../../src/bot/framework';
import { turnLanguage } from '../../src/bot/turnLanguage';
import type { Catalogue, WordKey } from '../../src/i18n/catalogue';
import { yesNoOf } from './intents';

/**
 * A prompt's wording by id rather than as text: it is said in the language of the turn
 * that shows it, so a prompt repeated after the person changed language speaks the new one.
 * Only ids travel in the dialog state.
 */
export interface WordedPromptOptions extends PromptOptions {
  wording: { prompt: WordKey; retry?: WordKey };
}

export function worded(prompt: WordKey, retry?: WordKey): WordedPromptOptions {
  return { wording: { prompt, retry } };
}

function render(catalogue: Catalogue, ctx: TurnContext, options: PromptOptions): PromptOptions {
  const wording = (options as Partial<WordedPromptOptions>).wording;
  if (!wording) return options;
  const w = catalogue.in(turnLanguage(ctx));
  return {
    ...options,
    prompt: w.t(wording.prompt),
    retryPrompt: wording.retry ? w.t(wording.retry) : undefined,
  };
}

/** A TextPrompt that speaks its worded options in the turn's language. */
export class WordedTextPrompt extends TextPrompt {
  constructor(
    dialogId: string,
    private readonly catalogue: Catalogue,
    validator?: PromptValidator<string>,
  ) {
    super(dialogId, validator);
  }

  protected override onPrompt(
    ctx: TurnContext,
    state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    return super.onPrompt(ctx, state, render(this.catalogue, ctx, options), isRetry);
  }
}

/**
 * Yes or no, in the turn's language: the buttons say 是 / 否 or Yes / No, and either
 * language's answer is understood, phrases too ("yes that is correct", "I agree with the
 * terms", "not yet", "不同意": yesNo.json), as is 1 or 2. Instead of ConfirmPrompt, which takes
 * its language from the channel's locale and not from a choice made in chat.
 */
export class YesNoPrompt extends Prompt<boolean> {
  constructor(
    dialogId: string,
    private readonly catalogue: Catalogue,
  ) {
    super(dialogId);
  }

  protected async onPrompt(
    ctx: TurnContext,
    _state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const said = render(this.catalogue, ctx, options);
    const w = this.catalogue.in(turnLanguage(ctx));
    const text = (isRetry && said.retryPrompt) || said.prompt || '';
    await ctx.sendActivity(
      this.appendChoices(
        text,
        ctx.activity.channelId,
        [w.plain('yesNo.yes'), w.plain('yesNo.no')],
        ListStyle.auto,
        {
          inlineSeparator: w.plain('yesNo.inlineSeparator'),
          inlineOr: w.plain('yesNo.inlineOr'),
          inlineOrMore: w.plain('yesNo.inlineOrMore'),
          includeNumbers: true,
        },
      ),
    );
  }

  protected async onRecognize(ctx: TurnContext): Promise<PromptRecognizerResult<boolean>> {
    const text = (ctx.activity.text ?? '').trim();
    if (!text) return { succeeded: false };
    const w = this.catalogue.in(turnLanguage(ctx));
    // The buttons' own titles and numbers count too (a button press sends its title).
    const t = text.toLowerCase();
    if (t === '1' || t === w.plain('yesNo.yes').toLowerCase()) return { succeeded: true, value: true };
    if (t === '2' || t === w.plain('yesNo.no').toLowerCase()) return { succeeded: true, value: false };
    const value = yesNoOf(text);
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }
}
