import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ETagConflictError, type SqlStorage } from './sqlStorage';

/** The two places the bot remembers things: per conversation (dialog stack) and per person. */
export type StateScope = 'conversation' | 'user';

/** Storage keys as botbuilder's ConversationState and UserState write them, so stored state carries over. */
const KEYS: Record<StateScope, (ctx: TurnContext) => string | undefined> = {
  conversation: (ctx) =>
    ctx.activity.channelId && ctx.activity.conversation?.id
      ? `${ctx.activity.channelId}/conversations/${ctx.activity.conversation.id}/`
      : undefined,
  user: (ctx) =>
    ctx.activity.channelId && ctx.activity.from?.id
      ? `${ctx.activity.channelId}/users/${ctx.activity.from.id}/`
      : undefined,
};
const SCOPES = Object.keys(KEYS) as StateScope[];

interface Loaded {
  key: string;
  state: Record<string, unknown>;
  /** The state as read, serialised: a save writes only when the state no longer serialises the same. */
  snapshot: string;
  eTag?: string;
  /** A property of it was read or written this turn; an untouched scope cannot have changed. */
  touched?: boolean;
}

type TurnStates = Partial<Record<StateScope, Loaded>>;

/** Logs an eTag conflict instead of failing the turn (the other instance's newer state stands). */
export type ConflictHandler = (scope: StateScope, err: ETagConflictError) => void;

/**
 * Bot Framework state (conversation and user) in the SQL store with the real eTag contract:
 * a save carries the eTag it read, so the later of two concurrent saves fails instead of
 * silently overwriting the other's turn. Both scopes are read in one query per turn, and a
 * scope that did not change is not written. Our own class rather than a subclass of
 * botbuilder's BotState, whose private fields an SDK move would break.
 */
export class BotStateStore {
  private readonly slot = Symbol('botState');

  constructor(private readonly storage: SqlStorage) {}

  /** An accessor for one property of one scope, as botbuilder's BotStatePropertyAccessor behaves. */
  property<T>(scope: StateScope, name: string): StatePropertyAccessor<T> {
    return {
      get: (async (ctx: TurnContext, defaultValue?: T) => {
        const state = await this.scopeState(ctx, scope);
        if (!Object.prototype.hasOwnProperty.call(state, name) && defaultValue !== undefined) {
          state[name] = typeof defaultValue === 'object' ? structuredClone(defaultValue) : defaultValue;
        }
        return state[name] as T;
      }) as StatePropertyAccessor<T>['get'],
      set: async (ctx, value) => {
        (await this.scopeState(ctx, scope))[name] = value;
      },
      delete: async (ctx) => {
        delete (await this.scopeState(ctx, scope))[name];
      },
    };
  }

  /** Writes every scope that changed this turn; a stale eTag in one scope does not stop the other. */
  async save(ctx: TurnContext, onConflict: ConflictHandler): Promise<void> {
    const loaded = ctx.turnState.get(this.slot) as TurnStates | undefined;
    if (!loaded) return;
    for (const scope of SCOPES) {
      const item = loaded[scope];
      if (!item?.touched) continue;
      const json = JSON.stringify(item.state);
      if (json === item.snapshot) continue;
      try {
        item.eTag = await this.storage.writeOne(item.key, json, item.eTag);
        item.snapshot = json;
      } catch (err) {
        if (!(err instanceof ETagConflictError)) throw err;
        onConflict(scope, err);
      }
    }
  }

  /**
   * A person's stored user state outside any turn of theirs (an e-mail is not sent in one):
   * keyed as UserState keys it, by the channel and the id the channel gives them.
   */
  async userStateOf(channelId: string, channelUserId: string): Promise<Record<string, unknown>> {
    const key = `${channelId}/users/${channelUserId}/`;
    const row = (await this.storage.readRaw([key])).get(key);
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : {};
  }

  /** Forgets a scope's stored state (a failed turn drops the conversation's dialog stack). */
  async clear(ctx: TurnContext, scope: StateScope): Promise<void> {
    const key = KEYS[scope](ctx);
    const loaded = ctx.turnState.get(this.slot) as TurnStates | undefined;
    if (loaded) delete loaded[scope];
    if (key) await this.storage.delete([key]);
  }

  private async scopeState(ctx: TurnContext, scope: StateScope): Promise<Record<string, unknown>> {
    let loaded = ctx.turnState.get(this.slot) as TurnStates | undefined;
    if (!loaded?.[scope]) loaded = await this.load(ctx, loaded ?? {});
    const item = loaded[scope];
    if (!item)
      throw new Error(
        `no ${scope} state key for this activity (channelId, conversation and from are needed)`,
      );
    // A get hands out the live object (the dialog stack is changed in place): count it as a touch.
    item.touched = true;
    return item.state;
  }

  /** Reads every scope this turn has not read yet, in one query. */
  private async load(ctx: TurnContext, loaded: TurnStates): Promise<TurnStates> {
    const wanted = SCOPES.filter((s) => !loaded[s])
      .map((scope) => ({ scope, key: KEYS[scope](ctx) }))
      .filter((w): w is { scope: StateScope; key: string } => Boolean(w.key));
    const rows = await this.storage.readRaw(wanted.map((w) => w.key));
    for (const { scope, key } of wanted) {
      const row = rows.get(key);
      loaded[scope] = row
        ? { key, state: JSON.parse(row.data) as Record<string, unknown>, snapshot: row.data, eTag: row.etag }
        : { key, state: {}, snapshot: '{}' };
    }
    ctx.turnState.set(this.slot, loaded);
    return loaded;
  }
}
