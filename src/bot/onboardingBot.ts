import {
  ActivityHandler,
  ActivityTypes,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { UPDATED_CARD } from '../cards/applicationCards';
import { trusted, type Catalogue } from '../i18n/catalogue';
import { languageOf } from '../i18n/language';
import type { Logger } from '../logger';
import type { RoleDirectory } from '../roles';
import type { ConversationReferenceStore } from './conversationReferenceStore';
import type { BotStateStore } from './botStateStore';
import type { TurnGuard } from './turnGuard';
import { turnLanguage, type LanguagePreference } from './turnLanguage';
import { TURN_USER, turnUserOf } from './userIdentity';
import type { WelcomeLog } from './welcomeLog';
import type { WebChatIdentityCheck } from './webChatIdentity';

/** Bump when dialog definitions change incompatibly: stored stacks from older deploys restart cleanly. */
export const DIALOG_SCHEMA_VERSION = 1;

interface DialogEnvelope {
  schema: number;
  state: DialogState;
}

export interface OnboardingBotDeps {
  /** The root of the conversation (dialogs/MainDialog), built by app.ts. */
  rootDialog: Dialog;
  /** What a person hears when the bot first meets them in a conversation. */
  welcome: (ctx: TurnContext) => Promise<void>;
  /** Conversation and user state, saved once at turn end. */
  state: BotStateStore;
  /** Who was welcomed where: one welcome per conversation, whatever arrives at once. */
  welcomes: WelcomeLog;
  references: ConversationReferenceStore;
  roles: RoleDirectory;
  log: Logger;
  /** Tenant allow-list and per-user rate limit; none in tests that do not need them. */
  guard?: TurnGuard;
  /** What the bot itself says (refusals, Teams' invoke answer), in each person's language. */
  catalogue: Catalogue;
  /** Each person's language: chosen in chat (user state), else the activity's locale. */
  languages: LanguagePreference;
  /** Production: Web Chat activities only from identities a sign-in issued (none on a development instance). */
  identity?: Pick<WebChatIdentityCheck, 'allows'>;
  /** Where Web Chat users sign in (CHAT_URL), for the refusal to name. */
  signInUrl?: string;
}

/**
 * The channel side of the bot: resolves who is talking, remembers where to reach them,
 * applies the turn guard, and runs the root dialog it is given.
 */
export class OnboardingBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogEnvelope>;
  private readonly dialogs: DialogSet;
  private readonly rootId: string;

  constructor(private readonly deps: OnboardingBotDeps) {
    super();
    this.dialogState = deps.state.property<DialogEnvelope>('conversation', 'dialog');
    // The DialogSet reads its stack through an accessor over the envelope's `state`.
    const stack: StatePropertyAccessor<DialogState> = {
      get: (async (ctx: TurnContext, def?: DialogState) => {
        const env = await this.dialogState.get(ctx, {
          schema: DIALOG_SCHEMA_VERSION,
          state: def ?? { dialogStack: [] },
        });
        if (env.schema !== DIALOG_SCHEMA_VERSION) {
          env.schema = DIALOG_SCHEMA_VERSION;
          env.state = { dialogStack: [] };
        }
        return env.state;
      }) as StatePropertyAccessor<DialogState>['get'],
      set: async (ctx, value) => {
        await this.dialogState.set(ctx, { schema: DIALOG_SCHEMA_VERSION, state: value });
      },
      delete: async (ctx) => this.dialogState.delete(ctx),
    };
    this.dialogs = new DialogSet(stack).add(deps.rootDialog);
    this.rootId = deps.rootDialog.id;

    this.onTurn(async (ctx, next) => {
      if (deps.identity && !(await deps.identity.allows(ctx.activity))) {
        // A Web Chat user the product did not sign in: told where to sign in, nothing else done or kept.
        deps.log.warn(
          { channel: ctx.activity.channelId, type: ctx.activity.type },
          'web chat identity not issued here',
        );
        if (ctx.activity.type === ActivityTypes.Message) {
          const w = deps.catalogue.in(languageOf(ctx.activity.locale));
          await ctx.sendActivity(
            deps.signInUrl ? w.t('guard.signInAt', { url: trusted(deps.signInUrl) }) : w.t('guard.signIn'),
          );
        }
        return;
      }
      const user = turnUserOf(ctx.activity, deps.roles);
      ctx.turnState.set(TURN_USER, user);
      const verdict = (await deps.guard?.check(ctx.activity, user.userId)) ?? { ok: true };
      if (!verdict.ok) {
        // Refused (another tenant) or too fast: say so once, do nothing else, remember nothing
        // (not even read: the locale the activity carries is the language).
        const w = deps.catalogue.in(languageOf(ctx.activity.locale));
        if (verdict.tell)
          await ctx.sendActivity(w.t(verdict.reason === 'tenant' ? 'guard.tenant' : 'guard.rate'));
        return;
      }
      await deps.languages.resolve(ctx);
      if (!this.isRemoval(ctx)) {
        await deps.references.save(user.userId, TurnContext.getConversationReference(ctx.activity));
      }
      await next();
    });

    // Teams: the app was uninstalled, or the bot (or a person) left the conversation.
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await deps.references.removeConversation(ctx.activity.conversation.id);
      await next();
    });
    this.onMembersRemoved(async (ctx, next) => {
      const botId = ctx.activity.recipient?.id;
      for (const member of ctx.activity.membersRemoved ?? []) {
        if (member.id === botId) await deps.references.removeConversation(ctx.activity.conversation.id);
        else await deps.references.remove(member.aadObjectId ?? member.id, ctx.activity.conversation.id);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.welcomeOnce(ctx);
      await next();
    });

    this.onMessage(async (ctx, next) => {
      await this.runDialogs(ctx);
      await next();
    });

    this.onMembersAdded(async (ctx, next) => {
      const botId = ctx.activity.recipient?.id;
      const members = ctx.activity.membersAdded ?? [];
      // A person joined, or (Teams, personal scope) the bot was added to the person's chat.
      const personal = ctx.activity.conversation?.conversationType === 'personal';
      if (members.some((m) => m.id !== botId) || (personal && members.some((m) => m.id === botId))) {
        await this.welcomeOnce(ctx);
      }
      await next();
    });
  }

  /** Teams' Action.Execute: the same handling as a Web Chat submit, answered with the updated card. */
  protected override async onAdaptiveCardInvoke(ctx: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    // Teams shows a message response under the card: the last thing the bot said (e.g. "Already approved by …").
    const said: string[] = [];
    ctx.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) if (a.type === ActivityTypes.Message && a.text) said.push(a.text);
      return next();
    });
    await this.runDialogs(ctx);
    const updated = ctx.turnState.get(UPDATED_CARD) as { content: unknown } | undefined;
    return updated
      ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: updated.content as never }
      : {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: (said.at(-1) ?? this.deps.catalogue.in(turnLanguage(ctx)).t('adapter.done')) as never,
        };
  }

  override async run(ctx: TurnContext): Promise<void> {
    await super.run(ctx);
    // Another instance saved first: its (newer) state stands.
    await this.deps.state.save(ctx, (scope) =>
      this.deps.log.warn(
        { conversation: ctx.activity.conversation?.id, state: scope },
        'state changed concurrently; kept the other save',
      ),
    );
  }

  /** Teams sends both installationUpdate and conversationUpdate on install: one welcome per conversation. */
  private async welcomeOnce(ctx: TurnContext): Promise<void> {
    const conversationId = ctx.activity.conversation?.id;
    if (!conversationId || !(await this.deps.welcomes.first(conversationId))) return;
    await this.deps.welcome(ctx);
  }

  private isRemoval(ctx: TurnContext): boolean {
    const a = ctx.activity;
    if (a.type === ActivityTypes.InstallationUpdate)
      return a.action === 'remove' || a.action === 'remove-upgrade';
    return a.type === ActivityTypes.ConversationUpdate && !a.membersAdded?.length;
  }

  private async runDialogs(ctx: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(ctx);
    let result;
    try {
      result = await dc.continueDialog();
    } catch (err) {
      // A stored stack that no longer matches the dialogs (changed by a deploy) starts over.
      this.deps.log.warn({ err }, 'dialog stack could not continue; restarting the conversation flow');
      dc.stack.length = 0;
      result = { status: DialogTurnStatus.empty };
    }
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.rootId);
  }
}
