import type { LanguagePreference } from '../bot/turnLanguage';
import type { ConversationReferenceStore } from '../bot/conversationReferenceStore';
import { statusTitle } from '../cards/statusText';
import { lines, trusted, type Params, type Wording } from '../i18n/catalogue';
import type { Language } from '../i18n/language';
import type { Logger } from '../logger';
import type { EmailComposer } from '../mail/emailComposer';
import type { Mailer, MailOutcome } from '../mail/mailer';
import type { RoleDirectory } from '../roles';
import type { ApplicationView } from '../workflow/schemas';
import type { ContactPreferences } from './contactPreferences';
import type { EmailDeliveries, EmailProblem } from './emailDeliveries';
import emails from './emails.json';
import type { NotifyEvent } from './notifyEvent';

type Recipient = 'partner' | 'bd';
interface EmailSpec {
  /** no-chat: only to someone the bot has no chat conversation with. */
  when?: 'no-chat';
}
type Table = Record<string, Partial<Record<Recipient, EmailSpec>>>;
const EVENTS = emails.events as Table;
const REMINDERS = emails.reminders as Table;

export type ReminderKind = 'due-soon' | 'missed';

/** Where ACPN's console is reached from (guide 2.5); the activation e-mail links it. */
const CONSOLE_URL = 'https://www.alibabacloud.com/';

export interface EmailReport {
  sent: string[];
  kept: string[];
  failed: string[];
  /** Refused for now: the event must come again (the dispatcher's backoff), after at least this long. */
  retry: number[];
}

export interface EmailChannelDeps {
  mailer: Mailer;
  composer: EmailComposer;
  deliveries: EmailDeliveries;
  preferences: ContactPreferences;
  languages: Pick<LanguagePreference, 'ofReference'>;
  references: Pick<ConversationReferenceStore, 'forUser'>;
  roles: RoleDirectory;
  /** STAFF_EMAILS: user id → address. */
  staff: Record<string, string>;
  /** MAIL_MAX_ATTEMPTS: a temporary refusal this many times in all is recorded as failed. */
  maxAttempts: number;
  log: Logger;
}

interface Addressed {
  userId: string;
  address: string;
  recipient: Recipient;
}

/**
 * The e-mail channel beside chat: for each event, the e-mails emails.json names (the guide's
 * steps to the partner's contact e-mail; a new submission to a BD with no chat), each in its
 * reader's language, each claimed in notification_deliveries (event, recipient, 'email')
 * before it goes out, so however often the event comes it is sent once. A temporary refusal
 * (SMTP 4xx, no connection) asks for the event again (the dispatcher's backoff) until
 * MAIL_MAX_ATTEMPTS; a permanent one (5xx, a bad address) is recorded as failed and shown to
 * the BD and support on the application. Deadline reminders reach the BD the same way.
 */
export class EmailChannel {
  constructor(private readonly deps: EmailChannelDeps) {}

  /** Whether this event (its messages.json key) e-mails the partner: then "e-mail only" skips their chat message. */
  mailsPartner(key: string, app: ApplicationView): boolean {
    return Boolean(EVENTS[key]?.partner && app.contactEmail);
  }

  async forEvent(
    key: string,
    event: NotifyEvent,
    app: ApplicationView,
    owner: string,
    leaseMs: number,
  ): Promise<EmailReport> {
    const spec = EVENTS[key] ?? {};
    const report: EmailReport = { sent: [], kept: [], failed: [], retry: [] };
    const to = await this.addressees(spec, app);
    await Promise.all(
      to.map((a) =>
        this.sendOnce(
          event.eventId,
          `email.${key}.${a.recipient}`,
          a,
          app,
          owner,
          leaseMs,
          report,
          (w, html) => this.eventValues(w, html, app, event),
        ),
      ),
    );
    return report;
  }

  /** A deadline reminder's e-mail to the BD(s): once per (application, deadline, kind) and BD. */
  async reminder(
    kind: ReminderKind,
    app: ApplicationView,
    owner: string,
    leaseMs: number,
    only?: string,
  ): Promise<EmailReport> {
    const report: EmailReport = { sent: [], kept: [], failed: [], retry: [] };
    const to = (await this.addressees(REMINDERS[kind] ?? {}, app)).filter((a) => !only || a.userId === only);
    await Promise.all(
      to.map((a) =>
        this.sendOnce(
          reminderId(app, kind),
          `email.reminders.${kind}.${a.recipient}`,
          a,
          app,
          owner,
          leaseMs,
          report,
          (w) => ({ ...this.common(w, app), step: statusTitle(app.status, w) }),
        ),
      ),
    );
    return report;
  }

  problems(applicationId: string): Promise<EmailProblem[]> {
    return this.deps.deliveries.problems(applicationId);
  }

  /** Reminder e-mails refused for now (the scheduler tries them again). */
  pendingReminders(): Promise<{ eventId: string; userId: string }[]> {
    return this.deps.deliveries.pendingReminders();
  }

  /** Who gets this e-mail and at which address; nobody without one. */
  private async addressees(
    spec: Partial<Record<Recipient, EmailSpec>>,
    app: ApplicationView,
  ): Promise<Addressed[]> {
    const out: Addressed[] = [];
    if (spec.partner && app.contactEmail) {
      // "Chat only" is the partner's to choose; a changed contact e-mail holds from the next event.
      if ((await this.deps.preferences.get(app.partnerUserId)) !== 'chat') {
        out.push({ userId: app.partnerUserId, address: app.contactEmail, recipient: 'partner' });
      }
    }
    if (spec.bd) {
      const bds = app.bdUserId ? [app.bdUserId] : this.deps.roles.usersWith('bd');
      for (const userId of bds) {
        const address = this.deps.staff[userId];
        if (!address) continue;
        if (spec.bd.when === 'no-chat' && (await this.deps.references.forUser(userId)).length) continue;
        out.push({ userId, address, recipient: 'bd' });
      }
    }
    return out;
  }

  private async sendOnce(
    eventId: string,
    key: string,
    to: Addressed,
    app: ApplicationView,
    owner: string,
    leaseMs: number,
    report: EmailReport,
    values: (w: Wording, html: boolean) => Params,
  ): Promise<void> {
    const claim = await this.deps.deliveries.claim(eventId, to.userId, owner, leaseMs, {
      address: to.address,
      applicationId: app.id,
    });
    if (claim.kind === 'done') return;
    if (claim.kind === 'busy') {
      report.retry.push(Math.max(1000, claim.untilMs - Date.now()));
      return;
    }
    const language = await this.languageOf(to.userId);
    const composed = this.deps.composer.compose(language, {
      key,
      name: to.recipient === 'partner' ? (app.contactName ?? app.companyName) : null,
      footer: to.recipient === 'partner' ? 'partner' : 'staff',
      address: claim.address,
      values,
    });
    let outcome: MailOutcome;
    try {
      outcome = await this.deps.mailer.send({ ...composed, to: claim.address, language, kind: key });
    } catch (err) {
      outcome = { status: 'retry', detail: (err as Error).message };
    }
    const { deliveries } = this.deps;
    if (outcome.status === 'sent' || outcome.status === 'kept') {
      await deliveries.finish(eventId, to.userId, owner, outcome.status);
      report[outcome.status].push(to.userId);
      return;
    }
    const attempts = claim.attempts + 1;
    if (outcome.status === 'retry' && attempts < this.deps.maxAttempts) {
      await deliveries.retry(eventId, to.userId, owner, outcome.detail);
      report.retry.push(0);
      return;
    }
    const detail = outcome.status === 'retry' ? `${outcome.detail} (${attempts} attempts)` : outcome.detail;
    await deliveries.finish(eventId, to.userId, owner, 'failed', detail);
    this.deps.log.warn({ eventId, kind: key, attempts }, 'e-mail failed for good');
    report.failed.push(to.userId);
  }

  private async languageOf(userId: string): Promise<Language> {
    const [newest] = await this.deps.references.forUser(userId);
    return this.deps.languages.ofReference(newest);
  }

  private common(w: Wording, app: ApplicationView): Params {
    return {
      company: app.companyName ?? trusted(w.t('notify.company')),
      due: app.dueDate ? w.date(app.dueDate) : trusted(w.t('notify.deadline')),
    };
  }

  private eventValues(w: Wording, html: boolean, app: ApplicationView, event: NotifyEvent): Params {
    const label = w.t('email.consoleLink');
    return {
      ...this.common(w, app),
      note: lines(app.note ?? ''),
      actor: event.actor,
      console: trusted(html ? `<a href="${CONSOLE_URL}">${label}</a>` : CONSOLE_URL),
    };
  }
}

/** A reminder is no outbox event: its deliveries are keyed by application, kind and deadline. */
export function reminderId(app: ApplicationView, kind: ReminderKind): string {
  return `reminder:${app.id}:${kind}:${app.dueDate ?? ''}`;
}
