import type { Generated } from 'kysely';
import type { Status } from '../workflow/machine';

/** The two SQL engines the store runs on (migrations differ slightly between them). */
export type DialectName = 'sqlite' | 'postgres';

/**
 * Table shapes as the database holds them. Portable types only (text, integer),
 * so SQLite and Postgres run the same queries: timestamps are ISO-8601 UTC text,
 * JSON is text, booleans are 0/1.
 */
export interface ApplicationsTable {
  id: string;
  status: Status;
  version: number;
  partner_user_id: string;
  bd_user_id: string | null;
  company_name: string;
  fields: string;
  decision_sheet: string | null;
  last_note: string | null;
  invitation_code_hash: string | null;
  invitation_expires_at: string | null;
  due_at: string | null;
  status_since: string;
  created_at: string;
  updated_at: string;
  /** The status a rejection came from (submitted, or qualification_review for a decline). */
  rejected_from: Status | null;
  /** Set when the BD closed the application for good: the partner cannot apply again with it. */
  closed_at: string | null;
}

export interface ApplicationUidsTable {
  application_id: string;
  uid: string;
  kind: string;
}

export interface HistoryTable {
  application_id: string;
  version: number;
  action: string;
  from_status: Status | null;
  to_status: Status;
  actor: string;
  actor_role: string;
  payload: string;
  occurred_at: string;
}

export interface OutboxTable {
  id: string;
  seq: Generated<number>;
  type: string;
  application_id: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  occurred_at: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

export interface IdempotencyTable {
  actor: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

export interface BotStateTable {
  key: string;
  data: string;
  etag: string;
  updated_at: string;
}

export interface ConversationRefsTable {
  user_id: string;
  conversation_id: string;
  channel_id: string;
  reference: string;
  dead: number;
  updated_at: string;
}

export interface NotificationDeliveriesTable {
  event_id: string;
  user_id: string;
  /** chat | email: one delivery per event, recipient and channel. */
  channel: Generated<string>;
  /**
   * sending (claimed: being sent, until claimed_until) | sent, and then
   * chat: dead (the bot was removed or blocked there) | unreachable (no conversation to use);
   * email: retry (refused for now, tried again) | failed (refused for good) | kept (a
   * development instance without SMTP_URL kept it instead of sending it)
   */
  status: string;
  detail: string | null;
  created_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  /** E-mail: the application it is about, the address it went to, attempts so far, last change. */
  application_id: string | null;
  address: string | null;
  attempts: Generated<number>;
  updated_at: string | null;
}

/** How a person wants to hear of their application: email | chat | both. */
export interface ContactPreferencesTable {
  user_id: string;
  channels: string;
  updated_at: string;
}

/** The one-time code an address was last sent (hashed), and how many were sent in the current window. */
export interface SigninCodesTable {
  email: string;
  code_hash: string | null;
  expires_at: string | null;
  /** Wrong guesses at the current code. */
  attempts: Generated<number>;
  sent_count: Generated<number>;
  window_started_at: string;
}

/** The Web Chat user id a proven address signs in as. */
export interface WebchatIdentitiesTable {
  email: string;
  user_id: string;
  created_at: string;
  signed_in_at: string;
}

/** One webhook event being handled (claimed by one request until claimed_until) or done. */
export interface NotificationEventsTable {
  event_id: string;
  /** claimed | released (tried, to be retried) | done */
  status: string;
  claimed_by: string | null;
  claimed_until: string | null;
  updated_at: string;
}

export interface SentCardsTable {
  application_id: string;
  user_id: string;
  conversation_id: string;
  activity_id: string;
  updated_at: string;
  /** The event the card was posted for; null on cards posted before migration 005. */
  event_id: string | null;
}

export interface RemindersTable {
  application_id: string;
  due_date: string;
  /** due-soon (to the BD) | missed (to support and admins) */
  kind: string;
  sent_at: string;
}

export interface HandoversTable {
  id: string;
  user_id: string;
  question: string;
  /** open | answered | resolved (closed by support without an answer in chat) */
  status: string;
  created_at: string;
  answered_by: string | null;
  answer: string | null;
  answered_at: string | null;
  /** The number support types (reply 12 …); given in order of asking. */
  ticket: number | null;
  /** The partner's application when they asked, if they had one. */
  application_id: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
}

export interface WelcomesTable {
  conversation_id: string;
  created_at: string;
}

/** A card with buttons the bot sent about an application: replaced by its summary once acted on. */
export interface CardCopiesTable {
  conversation_id: string;
  activity_id: string;
  /** The application's id, or the hand-over's. */
  subject_id: string;
  user_id: string;
  /** Which read-only summary replaces it: the staff view, the partner's, or a closed ticket. */
  kind: string;
  /** The application version the card was built for. */
  version: number;
  created_at: string;
}

export interface Database {
  applications: ApplicationsTable;
  application_uids: ApplicationUidsTable;
  history: HistoryTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  bot_state: BotStateTable;
  conversation_refs: ConversationRefsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_events: NotificationEventsTable;
  sent_cards: SentCardsTable;
  reminders: RemindersTable;
  handovers: HandoversTable;
  welcomes: WelcomesTable;
  card_copies: CardCopiesTable;
  contact_preferences: ContactPreferencesTable;
  signin_codes: SigninCodesTable;
  webchat_identities: WebchatIdentitiesTable;
}
