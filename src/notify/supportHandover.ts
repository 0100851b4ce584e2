import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from '../bot/framework';
import type { CardCopies } from '../bot/cardCopies';
import type { PeopleDirectory } from '../bot/peopleDirectory';
import type { LanguagePreference } from '../bot/turnLanguage';
import type { CardBuilder } from '../cards/cardBuilder';
import { statusTitle } from '../cards/statusText';
import { lines, type Catalogue, type Wording } from '../i18n/catalogue';
import { systemClock, type Clock } from '../clock';
import type { Store } from '../db/database';
import type { HandoversTable } from '../db/schema';
import { SYSTEM_ACTOR, type RoleDirectory } from '../roles';
import type { ApplicationView } from '../workflow/schemas';
import type { WorkflowClient } from '../workflow/workflowClient';
import type { ProactiveSender } from './proactiveSender';

/** A question handed to support, as support sees it. */
export interface Ticket {
  id: string;
  number: number;
  userId: string;
  question: string;
  status: 'open' | 'answered' | 'resolved';
  createdAt: string;
  applicationId: string | null;
  claimedBy: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export type AskResult =
  | { ok: true; ticket: Ticket; reached: number }
  | { ok: false; reason: 'nobody'; ticket: Ticket }
  | { ok: false; reason: 'already-asked'; ticket: Ticket };

export type TicketResult =
  | { ok: true; ticket: Ticket; reached: number }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'closed'; ticket: Ticket }
  | { ok: false; reason: 'claimed'; ticket: Ticket };

export interface HandoverDeps {
  store: Store;
  sender: ProactiveSender;
  roles: RoleDirectory;
  cards: CardBuilder;
  catalogue: Catalogue;
  languages: Pick<LanguagePreference, 'resolve'>;
  workflow: WorkflowClient;
  people: PeopleDirectory;
  copies: CardCopies;
  /** The FAQ's list of unanswered questions: the same question is marked handled when its ticket is. */
  questions?: {
    resolveMatching(userId: string, question: string, by: string, resolution?: string): Promise<number>;
  };
  clock?: Clock;
}

const MAX_QUESTION = 1000;

/**
 * A question the guide could not answer, handed to people as a numbered ticket: support staff
 * (and admins) get it in chat with the asker's name, company and step; they can take it, answer
 * it (on the card or by typing `reply <ticket> …`) or resolve it. The first answer goes to the
 * partner's conversation; every copy of the ticket's card then says who answered and when.
 * Asking the same open question again reuses its ticket. Each hears it in their own language.
 */
export class SupportHandover {
  constructor(private readonly deps: HandoverDeps) {}

  private now(): string {
    return (this.deps.clock ?? systemClock)().toISOString();
  }

  async ask(userId: string, question: string): Promise<AskResult> {
    const text = question.trim().slice(0, MAX_QUESTION);
    const same = await this.db
      .selectFrom('handovers')
      .selectAll()
      .where('user_id', '=', userId)
      .where('status', '=', 'open')
      .orderBy('created_at', 'desc')
      .execute();
    const earlier = same.find((r) => sameQuestion(r.question, text));
    if (earlier) return { ok: false, reason: 'already-asked', ticket: toTicket(earlier) };
    const app = await this.applicationOf(userId);
    const ticket = await this.insert(userId, text, app?.id ?? null);
    const outcomes = await Promise.all(
      this.deps.roles.staff().map((s) =>
        this.deps.sender.send(s, async (ctx, where) => {
          const card = await this.card(ticket, await this.words(ctx), app);
          const sent = await ctx.sendActivity(MessageFactory.attachment(card));
          if (sent?.id) {
            await this.deps.copies.record({
              conversationId: where.conversationId,
              activityId: sent.id,
              subjectId: ticket.id,
              userId: s,
              kind: 'handover',
              version: 0,
            });
          }
        }),
      ),
    );
    const reached = outcomes.filter((o) => o.status === 'sent').length;
    return reached ? { ok: true, ticket, reached } : { ok: false, reason: 'nobody', ticket };
  }

  /** Open tickets, oldest first: the order support works through them. */
  async openTickets(limit = 50): Promise<Ticket[]> {
    const rows = await this.db
      .selectFrom('handovers')
      .selectAll()
      .where('status', '=', 'open')
      .orderBy('created_at')
      .orderBy('ticket')
      .limit(limit)
      .execute();
    return rows.map(toTicket);
  }

  /** A ticket by its number (what support types) or its id (what a card carries). */
  async ticket(ref: number | string): Promise<Ticket | undefined> {
    const q = this.db.selectFrom('handovers').selectAll();
    const row = await (
      typeof ref === 'number' ? q.where('ticket', '=', ref) : q.where('id', '=', ref)
    ).executeTakeFirst();
    return row ? toTicket(row) : undefined;
  }

  /** The open ticket a support person most likely means by "reply …": the newest they took, else the newest. */
  async latestFor(supportUserId: string): Promise<Ticket | undefined> {
    const open = await this.openTickets(500);
    const mine = open.filter((t) => t.claimedBy === supportUserId);
    return (mine.length ? mine : open).at(-1);
  }

  /** Takes a ticket: others see who has it. Taking one someone else has is refused, with their name. */
  async claim(id: string, supportUserId: string): Promise<TicketResult> {
    const ticket = await this.ticket(id);
    if (!ticket) return { ok: false, reason: 'not-found' };
    if (ticket.status !== 'open') return { ok: false, reason: 'closed', ticket };
    if (ticket.claimedBy && ticket.claimedBy !== supportUserId)
      return { ok: false, reason: 'claimed', ticket };
    await this.db
      .updateTable('handovers')
      .set({ claimed_by: supportUserId, claimed_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
    const now = (await this.ticket(id))!;
    await this.refreshCopies(now);
    return { ok: true, ticket: now, reached: 0 };
  }

  /** The first answer wins (a conditional update); it is relayed to the partner's conversation. */
  async answer(id: string, supportUserId: string, text: string): Promise<TicketResult> {
    const ticket = await this.ticket(id);
    if (!ticket) return { ok: false, reason: 'not-found' };
    const now = this.now();
    const claimed = await this.db
      .updateTable('handovers')
      .set({ status: 'answered', answered_by: supportUserId, answer: text, answered_at: now })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0)
      return { ok: false, reason: 'closed', ticket: (await this.ticket(id))! };
    const book = await this.deps.people.book([supportUserId]);
    const outcome = await this.deps.sender.send(ticket.userId, async (ctx) => {
      const w = await this.words(ctx);
      const who = book.nameOf(supportUserId);
      const said = { question: ticket.question, answer: lines(text) };
      await ctx.sendActivity(
        who
          ? w.t('handover.relayedBy', { ...said, who, ticket: ticket.number })
          : w.t('handover.relayed', said),
      );
    });
    await this.deps.questions
      ?.resolveMatching(ticket.userId, ticket.question, supportUserId, text)
      .catch(() => 0);
    const done = (await this.ticket(id))!;
    await this.refreshCopies(done);
    return { ok: true, ticket: done, reached: outcome.status === 'sent' ? 1 : 0 };
  }

  /** Closes a ticket without an answer in chat (it was answered by phone, say). */
  async resolve(id: string, supportUserId: string): Promise<TicketResult> {
    const ticket = await this.ticket(id);
    if (!ticket) return { ok: false, reason: 'not-found' };
    const r = await this.db
      .updateTable('handovers')
      .set({ status: 'resolved', answered_by: supportUserId, answered_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      return { ok: false, reason: 'closed', ticket: (await this.ticket(id))! };
    await this.deps.questions?.resolveMatching(ticket.userId, ticket.question, supportUserId).catch(() => 0);
    const done = (await this.ticket(id))!;
    await this.refreshCopies(done);
    return { ok: true, ticket: done, reached: 0 };
  }

  /** The ticket's card as it now stands, in the reader's language: who has it, or who closed it and when. */
  async card(ticket: Ticket, w: Wording, app?: ApplicationView | null) {
    const application = app === undefined ? await this.application(ticket.applicationId) : app;
    const book = await this.deps.people.book([ticket.userId, ticket.claimedBy, ticket.answeredBy]);
    const closed =
      ticket.status === 'open'
        ? undefined
        : w.t(ticket.status === 'answered' ? 'handover.card.answered' : 'handover.card.resolved', {
            who: book.label(ticket.answeredBy, w),
            date: w.date(ticket.answeredAt),
          });
    return this.deps.cards.handoverQuestion(
      {
        id: ticket.id,
        number: ticket.number,
        question: ticket.question,
        asker: book.label(ticket.userId, w),
        company: application?.companyName,
        step: application ? statusTitle(application.status, w, 'staff') : undefined,
        applicationId: ticket.applicationId,
        askedAt: ticket.createdAt,
        claimedBy: ticket.claimedBy ? book.label(ticket.claimedBy, w) : undefined,
      },
      w,
      closed,
    );
  }

  /** Every copy of the ticket's card shows it as it now stands; a closed ticket's copies are then forgotten. */
  private async refreshCopies(ticket: Ticket): Promise<void> {
    const app = await this.application(ticket.applicationId);
    const copies = await this.deps.copies.olderThan(ticket.id);
    await Promise.all(
      copies.map(async (copy) => {
        await this.deps.sender.inConversation(copy.userId, copy.conversationId, async (ctx) => {
          const card = await this.card(ticket, await this.words(ctx), app);
          await ctx.updateActivity({ id: copy.activityId, type: 'message', attachments: [card] });
        });
        if (ticket.status !== 'open') await this.deps.copies.forget(copy.conversationId, copy.activityId);
      }),
    );
  }

  private get db() {
    return this.deps.store.db;
  }

  /** Numbers in order of asking; two asked at the same moment on two instances retry on the unique number. */
  private async insert(userId: string, question: string, applicationId: string | null): Promise<Ticket> {
    for (let attempt = 0; ; attempt++) {
      const max = await this.db
        .selectFrom('handovers')
        .select((eb) => eb.fn.max('ticket').as('n'))
        .executeTakeFirst();
      const row: HandoversTable = {
        id: randomUUID(),
        user_id: userId,
        question,
        status: 'open',
        created_at: this.now(),
        answered_by: null,
        answer: null,
        answered_at: null,
        ticket: Number(max?.n ?? 0) + 1,
        application_id: applicationId,
        claimed_by: null,
        claimed_at: null,
      };
      try {
        await this.db.insertInto('handovers').values(row).execute();
        return toTicket(row);
      } catch (err) {
        if (attempt >= 4) throw err;
      }
    }
  }

  /** The asker's current application (their newest not rejected, else newest), if they have one. */
  private async applicationOf(userId: string): Promise<ApplicationView | null> {
    const r = await this.deps.workflow.list(userId);
    if (!r.ok || !r.value.length) return null;
    const newest = [...r.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return newest.find((a) => a.status !== 'rejected') ?? newest[0];
  }

  private async application(id: string | null): Promise<ApplicationView | null> {
    if (!id) return null;
    const r = await this.deps.workflow.get(SYSTEM_ACTOR, id);
    return r.ok ? r.value : null;
  }

  private async words(ctx: TurnContext): Promise<Wording> {
    return this.deps.catalogue.in(await this.deps.languages.resolve(ctx));
  }
}

function toTicket(r: HandoversTable): Ticket {
  return {
    id: r.id,
    number: Number(r.ticket ?? 0),
    userId: r.user_id,
    question: r.question,
    status: r.status as Ticket['status'],
    createdAt: r.created_at,
    applicationId: r.application_id,
    claimedBy: r.claimed_by,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
  };
}

/** The same question asked again: case, spacing and end punctuation aside. */
function sameQuestion(a: string, b: string): boolean {
  const n = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/[\s?？.!。！]+$/u, '');
  return n(a) === n(b);
}
