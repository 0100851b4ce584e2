import { UserState, type TurnContext } from 'botbuilder';
import { saveWithEtag } from './etagSave';

/** UserState whose saves carry the eTag they read (see saveWithEtag). */
export class EtagUserState extends UserState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    await saveWithEtag(this, context, force);
  }
}
