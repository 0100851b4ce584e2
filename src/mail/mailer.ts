import type { Language } from '../i18n/language';

/** One e-mail, composed in its reader's language (src/mail/emailComposer.ts). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: Language;
  /** What it is (a catalogue id such as email.submit.partner, or email.signin): for the dev page and logs. */
  kind: string;
}

/**
 * What became of an e-mail: sent (the relay took it), kept (a development instance without
 * SMTP_URL), retry (refused for now: SMTP 4xx, a connection or relay failure) or failed
 * (refused for good: SMTP 5xx, a bad address). `detail` is the relay's answer, for staff.
 */
export type MailOutcome =
  | { status: 'sent'; messageId?: string }
  | { status: 'kept' }
  | { status: 'retry'; detail: string }
  | { status: 'failed'; detail: string };

/** Sends e-mail: SMTP (smtpMailer.ts) or, on a development instance without SMTP_URL, kept for the dev page (keptMail.ts). */
export interface Mailer {
  /** Whether e-mail actually leaves this process (false: kept for the dev chat page). */
  readonly delivers: boolean;
  send(message: MailMessage): Promise<MailOutcome>;
  close(): Promise<void>;
}

/** The parts of a nodemailer error that say whether to try again. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
  message?: string;
}

/**
 * Temporary or for good, from what the relay answered. A reply to the message itself (MAIL
 * FROM, RCPT TO, DATA) decides by its class as RFC 5321 has it: 4yz is temporary, 5yz
 * permanent (nodemailer's `permanent`, which counts 503 as temporary). An envelope nodemailer
 * refused before asking the relay (no valid recipient) is a bad address. Everything else is
 * the relay's or our own trouble, not the message's: a connection that failed or timed out,
 * TLS, and refused credentials (a 535 is permanent for that login, but the e-mail goes once
 * the setting is fixed), so it is tried again until MAIL_MAX_ATTEMPTS.
 */
export function smtpOutcome(err: unknown): Extract<MailOutcome, { status: 'retry' | 'failed' }> {
  const e = (err ?? {}) as SmtpError;
  const detail = oneLine(e.response ?? e.message ?? String(err));
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'ETLS') return { status: 'retry', detail };
  if (typeof e.responseCode === 'number') {
    const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode !== 503);
    return { status: permanent ? 'failed' : 'retry', detail };
  }
  if (e.code === 'EENVELOPE') return { status: 'failed', detail };
  return { status: 'retry', detail };
}

/** A relay's answer, on one line and bounded: it is stored and shown to staff. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
