import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock';
import type { Database } from '../db/schema';
import type { Store } from '../db/database';
import { ApiError } from '../http/apiError';
import type { Role, RoleDirectory } from '../roles';
import { ApplicationRepository, type ApplicationRow } from './applicationRepository';
import {
  checkComplete,
  checkConsistency,
  invalidInput,
  uidsOf,
  warningsFor,
  type Viewer,
} from './applicationRules';
import { IdempotencyStore, Journal } from './journal';
import {
  actionsFrom,
  canApply,
  isAction,
  STATUSES,
  TRANSITIONS,
  transitionFor,
  type ActionName,
  type Status,
} from './machine';
import {
  actionRequest,
  payloadSchemas,
  type ApplicationFields,
  type ApplicationView,
  type HistoryEntry,
} from './schemas';
import type { WorkingCalendar } from './workingCalendar';

export interface WorkflowOptions {
  invitationTtlHours: number;
}

/** The answer to a state-changing call: what to send, and whether it was a replay. */
export interface ActionResult {
  status: number;
  body: ApplicationView;
  replayed: boolean;
}

export interface ListQuery {
  status?: string;
  q?: string;
  limit?: string;
}

/** A validated change, ready to be written in one transaction. */
interface PlannedChange {
  status: number;
  row: ApplicationRow;
  extra?: Record<string, unknown>;
  write(trx: Transaction<Database>): Promise<void>;
}

type Db = Kysely<Database> | Transaction<Database>;

const INVITATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The onboarding workflow: who may do what, when, with which data. Every change is
 * one transaction holding the state change, its history row, its outbox event and
 * its idempotency record, guarded by the application's version.
 */
export class WorkflowService {
  private readonly apps = new ApplicationRepository();
  private readonly journal = new Journal();
  private readonly idempotency = new IdempotencyStore();

  constructor(
    private readonly store: Store,
    private readonly roles: RoleDirectory,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly options: WorkflowOptions,
  ) {}

  roleOf(userId: string): Role {
    return this.roles.roleOf(userId);
  }

  private viewer(actor: string): Viewer {
    return { actor, role: this.roleOf(actor) };
  }

  async register(actor: string, body: unknown, idempotencyKey?: string): Promise<ActionResult> {
    // Accept the fields themselves or wrapped as { payload } like the actions.
    const raw = isWrapped(body) ? body.payload : body;
    return this.idempotent(actor, idempotencyKey, { op: 'register', body: raw }, async () => {
      if (this.roleOf(actor) !== 'partner') throw ApiError.forbidden('only partners register an application');
      const parsed = payloadSchemas.register.safeParse(raw ?? {});
      if (!parsed.success) throw invalidInput(parsed.error, 'payload');
      const fields = parsed.data as Partial<ApplicationFields>;
      checkConsistency(fields);
      const now = this.now();
      const row: ApplicationRow = {
        id: randomUUID(),
        status: 'prospect',
        version: 1,
        partner_user_id: actor,
        bd_user_id: null,
        company_name: fields.companyName!,
        fields: JSON.stringify(fields),
        decision_sheet: null,
        last_note: null,
        invitation_code_hash: null,
        invitation_expires_at: null,
        due_at: null,
        status_since: now,
        created_at: now,
        updated_at: now,
        rejected_from: null,
        closed_at: null,
      };
      return {
        status: 201,
        row,
        write: async (trx) => {
          await this.apps.insert(trx, row);
          await this.apps.replaceUids(trx, row.id, uidsOf(fields));
          await this.journal.record(trx, {
            applicationId: row.id,
            version: 1,
            action: 'register',
            from: null,
            to: 'prospect',
            actor,
            actorRole: 'partner',
            payload: fields,
            occurredAt: now,
          });
        },
      };
    });
  }

  /** Unknown actions are 404 whatever the body holds. */
  parseAction(action: string): ActionName {
    if (!isAction(action) || action === 'register') {
      const names = TRANSITIONS.filter((t) => t.action !== 'register').map((t) => t.action);
      throw ApiError.notFound(`unknown action "${action}"; actions: ${names.join(', ')}`);
    }
    return action;
  }

  async act(
    actor: string,
    id: string,
    actionName: string,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<ActionResult> {
    const action = this.parseAction(actionName);
    const request = actionRequest.safeParse(body ?? {});
    if (!request.success) throw invalidInput(request.error);
    const { expectedVersion, payload = {} } = request.data;

    return this.idempotent(actor, idempotencyKey, { op: action, id, body: request.data }, async () => {
      const role = this.roleOf(actor);
      const current = await this.visible(actor, role, id);
      const transition = transitionFor(action);
      const allowed = transition.who === 'partner' ? role === 'partner' : role === 'bd' || role === 'admin';
      if (!allowed) {
        throw ApiError.forbidden(
          `"${action}" is a ${transition.who === 'bd' ? 'BD' : 'partner'} action; you are ${role}`,
        );
      }
      if (current.version !== expectedVersion) throw this.staleVersion(current, expectedVersion);
      const from = current.status;
      if (!canApply(action, from)) {
        throw ApiError.invalidState(`"${action}" is not allowed while the application is ${from}`, {
          status: from,
          allowedActions: actionsFrom(from).map((t) => t.action),
        });
      }
      const parsed = payloadSchemas[action].safeParse(payload);
      if (!parsed.success) throw invalidInput(parsed.error, 'payload');

      const now = this.now();
      const next: ApplicationRow = {
        ...current,
        status: transition.to,
        version: current.version + 1,
        updated_at: now,
        status_since: transition.to === from ? current.status_since : now,
        due_at: transition.to === from ? current.due_at : this.dueFor(transition.dueInWorkingDays),
        last_note: noteOf(parsed.data) ?? (transition.to === from ? current.last_note : null),
      };
      if (transition.who === 'bd' && role === 'bd' && !next.bd_user_id) next.bd_user_id = actor;
      const extra = this.applyAction(action, parsed.data as Record<string, unknown>, current, next);

      return {
        status: 200,
        row: next,
        extra,
        write: async (trx) => {
          if (!(await this.apps.updateIfVersion(trx, next, expectedVersion))) {
            const latest = (await this.apps.find(trx, id))!;
            throw this.staleVersion(latest, expectedVersion);
          }
          if (action === 'update-application')
            await this.apps.replaceUids(trx, id, uidsOf(JSON.parse(next.fields)));
          await this.journal.record(trx, {
            applicationId: id,
            version: next.version,
            action,
            from,
            to: transition.to,
            actor,
            actorRole: role,
            payload: action === 'accept-invitation' ? {} : (parsed.data as Record<string, unknown>),
            occurredAt: now,
          });
        },
      };
    });
  }

  async get(actor: string, id: string): Promise<ApplicationView> {
    const viewer = this.viewer(actor);
    const row = await this.visible(actor, viewer.role, id);
    return (await this.views(this.store.db, [row], viewer))[0];
  }

  async list(actor: string, query: ListQuery): Promise<ApplicationView[]> {
    const statuses = query.status
      ? query.status
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    const unknown = statuses?.filter((s) => !(STATUSES as readonly string[]).includes(s)) ?? [];
    if (unknown.length) {
      throw ApiError.badRequest(
        `status: unknown status ${unknown.join(', ')}; one of ${STATUSES.join(', ')}`,
      );
    }
    const limit = query.limit === undefined ? 200 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw ApiError.badRequest('limit: must be a whole number from 1 to 1000');
    }
    const viewer = this.viewer(actor);
    const rows = await this.apps.list(this.store.db, {
      statuses: statuses as Status[] | undefined,
      partnerUserId: viewer.role === 'partner' ? actor : undefined,
      companyQuery: query.q?.trim() || undefined,
      limit,
    });
    return this.views(this.store.db, rows, viewer);
  }

  async history(actor: string, id: string): Promise<HistoryEntry[]> {
    await this.visible(actor, this.roleOf(actor), id);
    return this.journal.history(this.store.db, id);
  }

  /** Deletes idempotency records older than a day; called periodically. */
  async purgeIdempotencyKeys(maxAgeMs = 86_400_000): Promise<number> {
    return this.idempotency.purgeOlderThan(
      this.store.db,
      new Date(this.clock().getTime() - maxAgeMs).toISOString(),
    );
  }

  /** The per-action changes beyond status and version; returns what only the answer carries. */
  private applyAction(
    action: ActionName,
    payload: Record<string, unknown>,
    current: ApplicationRow,
    next: ApplicationRow,
  ): Record<string, unknown> | undefined {
    switch (action) {
      case 'invite':
      case 'reissue-invitation': {
        const code = Array.from(
          { length: 8 },
          () => INVITATION_ALPHABET[randomInt(INVITATION_ALPHABET.length)],
        ).join('');
        const invitationCode = `${code.slice(0, 4)}-${code.slice(4)}`;
        const expires = new Date(
          this.clock().getTime() + this.options.invitationTtlHours * 3_600_000,
        ).toISOString();
        next.invitation_code_hash = hashCode(invitationCode);
        next.invitation_expires_at = expires;
        return { invitationCode };
      }
      case 'accept-invitation': {
        if (
          !current.invitation_code_hash ||
          hashCode(String(payload.invitationCode)) !== current.invitation_code_hash
        ) {
          throw ApiError.badRequest(
            'payload.invitationCode: does not match the invitation issued for this application; check the code your BD shared',
            { fields: [{ field: 'payload.invitationCode', message: 'does not match' }] },
            'invalid_invitation_code',
          );
        }
        if (current.invitation_expires_at && current.invitation_expires_at < this.now()) {
          throw ApiError.invalidState(
            'the invitation code has expired; ask your BD to issue a new one',
            undefined,
            'invitation_expired',
          );
        }
        // Single use: the code is gone once redeemed.
        next.invitation_code_hash = null;
        next.invitation_expires_at = null;
        return undefined;
      }
      case 'update-application': {
        const merged = { ...(JSON.parse(current.fields) as Partial<ApplicationFields>), ...payload };
        checkConsistency(merged);
        next.fields = JSON.stringify(merged);
        if (typeof payload.companyName === 'string') next.company_name = payload.companyName;
        return undefined;
      }
      case 'submit':
        checkComplete(JSON.parse(current.fields) as Partial<ApplicationFields>);
        return undefined;
      case 'fill-decision-sheet':
        next.decision_sheet = JSON.stringify(payload);
        return undefined;
      case 'reject':
      case 'decline':
        next.rejected_from = current.status;
        next.closed_at = payload.final === true ? next.updated_at : null;
        return undefined;
      case 'reapply':
      case 'request-qualification-review':
        if (current.status === 'rejected') this.checkReopenable(action, current);
        next.rejected_from = null;
        // The reason stays with the reopened application: what to fix while filling it in again.
        if (action === 'reapply') next.last_note = current.last_note;
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * Runs a change once per (actor, key): a repeat with the same request replays the
   * first answer. The idempotency record commits in the change's own transaction, so
   * an acknowledged change and its record can never be separated by a crash.
   */
  private async idempotent(
    actor: string,
    key: string | undefined,
    request: unknown,
    plan: () => Promise<PlannedChange>,
  ): Promise<ActionResult> {
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw ApiError.badRequest('Idempotency-Key: must be 1 to 200 characters');
    }
    const requestHash = key ? createHash('sha256').update(JSON.stringify(request)).digest('hex') : '';
    const replay = async (): Promise<ActionResult | undefined> => {
      if (!key) return undefined;
      const stored = await this.idempotency.find(this.store.db, actor, key);
      if (!stored) return undefined;
      if (stored.requestHash !== requestHash) {
        throw ApiError.invalidState(
          'Idempotency-Key was already used for a different request',
          undefined,
          'idempotency_key_reused',
        );
      }
      // The first answer, but its warnings worded for who asks now (a partner never gets staff's).
      const body = await this.withWarnings(stored.body as ApplicationView, this.viewer(actor));
      return { status: stored.status, body, replayed: true };
    };

    const earlier = await replay();
    if (earlier) return earlier;
    try {
      const change = await plan();
      const body = await this.store.db.transaction().execute(async (trx) => {
        await change.write(trx);
        const view = {
          ...(await this.views(trx, [change.row], this.viewer(actor)))[0],
          ...change.extra,
        } as ApplicationView;
        if (key)
          await this.idempotency.save(
            trx,
            actor,
            key,
            { requestHash, status: change.status, body: view },
            this.now(),
          );
        return view;
      });
      return { status: change.status, body, replayed: false };
    } catch (err) {
      // A concurrent request with the same key may have committed first: answer as it did.
      const raced = await replay().catch(() => undefined);
      if (raced) return raced;
      throw err;
    }
  }

  /**
   * A rejected application comes back only if the BD did not close it for good, and by the way
   * that fits where it was rejected: to the form after a review (reapply), to the qualification
   * review after a decline there (request-qualification-review).
   */
  private checkReopenable(action: ActionName, current: ApplicationRow): void {
    if (current.closed_at) {
      throw ApiError.invalidState(
        'the BD closed this application for good; it cannot be reopened',
        { status: current.status, closedAt: current.closed_at },
        'application_closed',
      );
    }
    if (action === 'reapply' && current.rejected_from === 'qualification_review') {
      throw ApiError.invalidState(
        'the qualification review was declined: ask for the review again (request-qualification-review)',
        { status: current.status, rejectedFrom: current.rejected_from },
        'declined_at_review',
      );
    }
  }

  private async visible(actor: string, role: Role, id: string): Promise<ApplicationRow> {
    const row = await this.apps.find(this.store.db, id);
    // Another partner's application is reported as missing: its existence is not theirs to know.
    if (!row || (role === 'partner' && row.partner_user_id !== actor)) {
      throw ApiError.notFound(`application ${id} not found`);
    }
    return row;
  }

  private staleVersion(current: ApplicationRow, expected: number): ApiError {
    return ApiError.conflict(
      `expectedVersion ${expected} is stale: the application is now at version ${current.version} (${current.status}); reload and try again`,
      { currentVersion: current.version, status: current.status },
    );
  }

  /** A stored view with its warnings worded afresh for `viewer`. */
  private async withWarnings(view: ApplicationView, viewer: Viewer): Promise<ApplicationView> {
    const row = await this.apps.find(this.store.db, view.id);
    if (!row) return { ...view, warnings: [] };
    const conflicts = await this.apps.uidConflicts(this.store.db, [row.id]);
    const fields = JSON.parse(row.fields) as Partial<ApplicationFields>;
    return { ...view, warnings: warningsFor(fields, row.company_name, conflicts, viewer) };
  }

  private async views(db: Db, rows: ApplicationRow[], viewer: Viewer): Promise<ApplicationView[]> {
    const conflicts = await this.apps.uidConflicts(
      db,
      rows.map((r) => r.id),
    );
    const now = this.now();
    return rows.map((r) => {
      const fields = JSON.parse(r.fields) as Partial<ApplicationFields>;
      return {
        id: r.id,
        status: r.status,
        version: r.version,
        partnerUserId: r.partner_user_id,
        bdUserId: r.bd_user_id,
        ...fields,
        decisionSheet: r.decision_sheet ? JSON.parse(r.decision_sheet) : null,
        note: r.last_note,
        rejectedFrom: r.rejected_from ?? null,
        closed: r.closed_at !== null && r.closed_at !== undefined,
        statusSince: r.status_since,
        dueDate: r.due_at,
        overdue: r.due_at !== null && r.due_at < now,
        warnings: warningsFor(
          fields,
          r.company_name,
          conflicts.filter((c) => c.applicationId === r.id),
          viewer,
        ),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        ...(r.status === 'invited' ? { invitationExpiresAt: r.invitation_expires_at } : {}),
      };
    });
  }

  private dueFor(workingDays: number | undefined): string | null {
    return workingDays ? this.calendar.addWorkingDays(this.clock(), workingDays).toISOString() : null;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** Who is acting, as X-Acting-User gives it (or an in-process caller): present and of sane length. */
export function actingUserId(raw: string | undefined): string {
  const user = raw?.trim();
  if (!user) throw ApiError.unauthorized('X-Acting-User header is required: the id of the user acting');
  if (user.length > 256) throw ApiError.badRequest('X-Acting-User: at most 256 characters');
  return user;
}

function isWrapped(body: unknown): body is { payload: unknown } {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 1 && 'payload' in body;
}

function noteOf(payload: unknown): string | undefined {
  const p = payload as { reason?: string; description?: string; comment?: string };
  return p.reason ?? p.description ?? p.comment;
}

function hashCode(code: string): string {
  return createHash('sha256')
    .update(code.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .digest('hex');
}
