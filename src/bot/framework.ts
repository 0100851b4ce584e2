/**
 * The Bot Framework SDK as the rest of the product sees it. Dialogs, cards, the notifier and
 * the dev channel import these names from here, never from botbuilder itself (eslint checks),
 * so a move to the SDK's successor (the Microsoft 365 Agents SDK) is a change to src/bot only.
 */
export {
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type Attachment,
  type ChannelAccount,
  type ConversationReference,
  type StatePropertyAccessor,
} from 'botbuilder';
export {
  ComponentDialog,
  ConfirmPrompt,
  Dialog,
  DialogSet,
  DialogTurnStatus,
  ListStyle,
  Prompt,
  TextPrompt,
  recognizeChoices,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
