import {
  ListStyle,
  Prompt,
  TextPrompt,
  recognizeChoices,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
  type TurnContext,
} from '../../src/bot/framework';
import { turnLanguage } from '../../src/bot/turnLanguage';
import type { Catalogue, WordKey } from '../../src/i18n/catalogue';
import yesNo from './yesNo.json';

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

const CHOICES = [
  { value: 'yes', synonyms: yesNo.yes },
  { value: 'no', synonyms: yesNo.no },
];
/** Chinese punctuation the choice tokenizer does not split on. */
const CJK_PUNCTUATION = /[，。！？、；：“”‘’（）]/g;

/**
 * Yes or no, in the turn's language: the buttons say 是 / 否 or Yes / No, and either
 * language's answer is understood (yesNo.json), as is 1 or 2. Instead of ConfirmPrompt,
 * which takes its language from the channel's locale and not from a choice made in chat.
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
    const text = (ctx.activity.text ?? '').replace(CJK_PUNCTUATION, ' ').trim();
    if (!text) return { succeeded: false };
    const w = this.catalogue.in(turnLanguage(ctx));
    // The buttons' own titles count too (a button press sends its title).
    const choices = [
      { ...CHOICES[0], synonyms: [...CHOICES[0].synonyms, w.plain('yesNo.yes')] },
      { ...CHOICES[1], synonyms: [...CHOICES[1].synonyms, w.plain('yesNo.no')] },
    ];
    const found = recognizeChoices(text, choices);
    const values = new Set(found.map((f) => f.resolution.value));
    // "yes … no" is no answer at all.
    if (values.size !== 1) return { succeeded: false };
    return { succeeded: true, value: values.has('yes') };
  }
}
