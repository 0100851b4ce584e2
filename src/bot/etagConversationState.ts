import { ConversationState, type TurnContext } from 'botbuilder';
import { saveWithEtag } from './etagSave';

/** ConversationState whose saves carry the eTag they read (see saveWithEtag). */
export class EtagConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    await saveWithEtag(this, context, force);
  }
}
