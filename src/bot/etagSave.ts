import { calculateChangeHash, type BotState, type StoreItem, type TurnContext } from 'botbuilder';

interface CachedState {
  state: StoreItem;
  hash: string;
}

/**
 * Saves a BotState with the eTag it read. botbuilder's BotState saves with eTag "*"
 * (last writer wins); sending the eTag back makes the later of two concurrent saves fail
 * (ETagConflictError) instead of silently overwriting the other's state.
 */
export async function saveWithEtag(state: BotState, context: TurnContext, force: boolean): Promise<void> {
  const internals = state as unknown as {
    stateKey: symbol;
    storage: { write(changes: Record<string, StoreItem>): Promise<void> };
    getStorageKey(ctx: TurnContext): string | undefined;
  };
  const cached = context.turnState.get(internals.stateKey) as CachedState | undefined;
  if (!cached || (!force && cached.hash === calculateChangeHash(cached.state))) return;
  const storageKey = internals.getStorageKey(context);
  if (!storageKey) return;
  const item: StoreItem = { ...cached.state, eTag: cached.state.eTag ?? '*' };
  await internals.storage.write({ [storageKey]: item });
  // SqlStorage hands back the new eTag on the written item, so a second save this turn still matches.
  cached.state.eTag = item.eTag;
  cached.hash = calculateChangeHash(cached.state);
  context.turnState.set(internals.stateKey, cached);
}
