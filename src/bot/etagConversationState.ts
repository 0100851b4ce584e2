import { calculateChangeHash, ConversationState, type StoreItem, type TurnContext } from 'botbuilder';

interface CachedState {
  state: StoreItem;
  hash: string;
}

/**
 * ConversationState that keeps the eTag it read. botbuilder's BotState saves with
 * eTag "*" (last writer wins); this one sends the eTag back, so when two instances run
 * turns of one conversation at once the later save fails (ETagConflictError) instead
 * of silently overwriting the other's dialog state.
 */
export class EtagConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const key = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(key) as CachedState | undefined;
    if (!cached || (!force && cached.hash === calculateChangeHash(cached.state))) return;
    const storageKey = this.getStorageKey(context);
    if (!storageKey) return;
    const item: StoreItem = { ...cached.state, eTag: cached.state.eTag ?? '*' };
    await this.storage.write({ [storageKey]: item });
    // SqlStorage hands back the new eTag on the written item, so a second save this turn still matches.
    cached.state.eTag = item.eTag;
    cached.hash = calculateChangeHash(cached.state);
    context.turnState.set(key, cached);
  }
}
