import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from '../bot/framework';
import type { LanguagePreference } from '../bot/turnLanguage';
import type { CardBuilder } from '../cards/cardBuilder';
import { lines, type Catalogue, type Wording } from '../i18n/catalogue';
import type { Store } from '../db/database';
import type { RoleDirectory } from '../roles';
import type { ProactiveSender } from './proactiveSender';

export type HandoverResult =
  | { ok: true; reached: number }
  | { ok: false; reason: 'nobody' | 'not-found' | 'already-answered'; answeredBy?: string };

/**
 * A question the guide could not answer, handed to people: support staff (and admins) get
 * it in chat with a reply box; the first reply goes to the partner's conversation, and a
 * second reply hears who already answered. Each hears it in their own language.
 */
export class SupportHandover {
  constructor(
    private readonly store: Store,
    private readonly sender: ProactiveSender,
    private readonly roles: RoleDirectory,
    private readonly cards: CardBuilder,
    private readonly catalogue: Catalogue,
    private readonly languages: Pick<LanguagePreference, 'resolve'>,
  ) {}

  async ask(userId: string, question: string): Promise<HandoverResult> {
    const id = randomUUID();
    await this.store.db
      .insertInto('handovers')
      .values({
        id,
        user_id: userId,
        question: question.slice(0, 1000),
        status: 'open',
        created_at: new Date().toISOString(),
        answered_by: null,
        answer: null,
        answered_at: null,
      })
      .execute();
    const staff = this.roles.staff();
    const outcomes = await Promise.all(
      staff.map((s) =>
        this.sender.send(s, async (ctx) => {
          const w = await this.words(ctx);
          await ctx.sendActivity(
            MessageFactory.attachment(this.cards.handoverQuestion(id, userId, question, w)),
          );
        }),
      ),
    );
    const reached = outcomes.filter((o) => o.status === 'sent').length;
    return reached ? { ok: true, reached } : { ok: false, reason: 'nobody' };
  }

  /** The first answer wins (a conditional update); it is relayed to the partner's conversation. */
  async answer(id: string, supportUserId: string, text: string): Promise<HandoverResult> {
    const row = await this.store.db
      .selectFrom('handovers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'not-found' };
    const claimed = await this.store.db
      .updateTable('handovers')
      .set({
        status: 'answered',
        answered_by: supportUserId,
        answer: text,
        answered_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) {
      const now = await this.store.db
        .selectFrom('handovers')
        .select('answered_by')
        .where('id', '=', id)
        .executeTakeFirst();
      return { ok: false, reason: 'already-answered', answeredBy: now?.answered_by ?? undefined };
    }
    const outcome = await this.sender.send(row.user_id, async (ctx) => {
      const w = await this.words(ctx);
      await ctx.sendActivity(w.t('handover.relayed', { question: row.question, answer: lines(text) }));
    });
    return { ok: true, reached: outcome.status === 'sent' ? 1 : 0 };
  }

  private async words(ctx: TurnContext): Promise<Wording> {
    return this.catalogue.in(await this.languages.resolve(ctx));
  }
}
