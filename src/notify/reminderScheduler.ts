import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { LanguagePreference } from '../bot/turnLanguage';
import { statusTitle } from '../cards/statusText';
import type { Store } from '../db/database';
import { trusted, type Catalogue, type Wording } from '../i18n/catalogue';
import type { Logger } from '../logger';
import { SYSTEM_ACTOR, type RoleDirectory } from '../roles';
import { WAITING_ON_BD } from '../workflow/machine';
import type { ApplicationView } from '../workflow/schemas';
import type { WorkflowClient } from '../workflow/workflowClient';
import { reminderId, type EmailChannel } from './emailChannel';
import type { ProactiveSender } from './proactiveSender';

export interface ReminderOptions {
  intervalMs: number;
  hoursBefore: number;
}

type Kind = 'due-soon' | 'missed';

/** How long one pass holds its claim on a reminder e-mail. */
const EMAIL_LEASE_MS = 30_000;

/**
 * Finds applications whose 3-working-day deadline is near or past: the BD is reminded
 * before it, support and admins are told once it is missed, each in their own language. Each reminder is claimed in
 * the reminders table (application, due date, kind) before it is sent, so it goes out once
 * per deadline even with several instances running this.
 */
export class ReminderScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: {
      workflow: WorkflowClient;
      sender: ProactiveSender;
      store: Store;
      roles: RoleDirectory;
      catalogue: Catalogue;
      /** Each recipient's language, read in their proactive turn. */
      languages: Pick<LanguagePreference, 'resolve'>;
      clock: Clock;
      log: Logger;
      /** The BD's reminder e-mail (emails.json "reminders"), when the e-mail channel is on. */
      email?: EmailChannel;
    },
    private readonly options: ReminderOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((err: Error) => this.deps.log.error({ err: err.message }, 'reminder check failed'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns the reminders sent. */
  async tick(): Promise<{ applicationId: string; kind: Kind; to: string[] }[]> {
    const r = await this.deps.workflow.list(SYSTEM_ACTOR, { status: [...WAITING_ON_BD], limit: 500 });
    if (!r.ok) throw new Error(`workflow unavailable: ${r.error.kind}`);
    const now = this.deps.clock().getTime();
    const owner = randomUUID();
    const sent = [];
    await this.retryEmails(r.value, owner);
    for (const app of r.value) {
      if (!app.dueDate) continue;
      const due = Date.parse(app.dueDate);
      const kind: Kind | undefined =
        now >= due ? 'missed' : now >= due - this.options.hoursBefore * 3600_000 ? 'due-soon' : undefined;
      if (!kind || !(await this.claim(app, kind))) continue;
      const to =
        kind === 'missed'
          ? this.deps.roles.staff()
          : app.bdUserId
            ? [app.bdUserId]
            : this.deps.roles.usersWith('bd');
      const outcomes = await Promise.all(
        to.map((u) =>
          this.deps.sender.send(u, async (ctx) => {
            const w = this.deps.catalogue.in(await this.deps.languages.resolve(ctx));
            await ctx.sendActivity(this.text(app, kind, w));
          }),
        ),
      );
      // Nobody could be reached for now: give the claim back so the next pass tries again.
      if (outcomes.every((o) => o.status === 'retry')) {
        await this.unclaim(app, kind);
        continue;
      }
      sent.push({ applicationId: app.id, kind, to });
      await this.deps.email
        ?.reminder(kind, app, owner, EMAIL_LEASE_MS)
        .catch((err: Error) => this.deps.log.warn({ err: err.message }, 'reminder e-mail failed'));
    }
    return sent;
  }

  /** Reminder e-mails the relay refused for now are tried again, once a pass, while the application still waits. */
  private async retryEmails(apps: ApplicationView[], owner: string): Promise<void> {
    const email = this.deps.email;
    if (!email) return;
    for (const { eventId, userId } of await email.pendingReminders()) {
      const [, applicationId, kind] = eventId.split(':');
      const app = apps.find((a) => a.id === applicationId);
      // Only for the deadline it was about: a new deadline has reminders of its own.
      if (!app || (kind !== 'due-soon' && kind !== 'missed') || reminderId(app, kind) !== eventId) continue;
      await email
        .reminder(kind, app, owner, EMAIL_LEASE_MS, userId)
        .catch((err: Error) => this.deps.log.warn({ err: err.message }, 'reminder e-mail failed'));
    }
  }

  private text(app: ApplicationView, kind: Kind, w: Wording): string {
    const values = {
      company: app.companyName,
      step: trusted(statusTitle(app.status, w)),
      due: w.date(app.dueDate),
      bd: app.bdUserId,
    };
    if (kind === 'due-soon') return w.t('reminders.dueSoon', values);
    return w.t(app.bdUserId ? 'reminders.missed' : 'reminders.missedUnassigned', values);
  }

  private async claim(app: ApplicationView, kind: Kind): Promise<boolean> {
    const r = await this.deps.store.db
      .insertInto('reminders')
      .values({
        application_id: app.id,
        due_date: app.dueDate!,
        kind,
        sent_at: this.deps.clock().toISOString(),
      })
      .onConflict((oc) => oc.columns(['application_id', 'due_date', 'kind']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  private async unclaim(app: ApplicationView, kind: Kind): Promise<void> {
    await this.deps.store.db
      .deleteFrom('reminders')
      .where('application_id', '=', app.id)
      .where('due_date', '=', app.dueDate!)
      .where('kind', '=', kind)
      .execute();
  }
}
