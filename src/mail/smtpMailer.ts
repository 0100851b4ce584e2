import { createTransport, type Mail } from 'nodemailer';
import type { Logger } from '../logger';
import { smtpOutcome, type MailMessage, type MailOutcome, type Mailer } from './mailer';

export interface SmtpMailerOptions {
  /** SMTP_URL, as nodemailer reads it: smtp:// (STARTTLS when offered) or smtps://, auth and options in the URL. */
  url: string;
  /** MAIL_FROM. */
  from: string;
  /** Connection, greeting and socket timeouts (SMTP_TIMEOUT_MS): one event's sends have 6 s in all. */
  timeoutMs: number;
  /** Connections kept open to the relay (a fan-out sends in parallel). */
  maxConnections?: number;
  log: Logger;
}

/**
 * E-mail over SMTP through any relay (Alibaba Cloud DirectMail, Microsoft 365, SES…) with
 * nodemailer's pooled transport: a few connections kept open and reused, so a fan-out does
 * not open one connection per message. The URL decides TLS and authentication; the URL's
 * own query options win over the defaults here. Nothing is read from files or URLs while
 * composing (disableFileAccess / disableUrlAccess): a message is only the text we give it.
 */
export class SmtpMailer implements Mailer {
  readonly delivers = true;
  private readonly transport: Mail;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = createTransport(
      {
        url: options.url,
        pool: true,
        maxConnections: options.maxConnections ?? 5,
        connectionTimeout: options.timeoutMs,
        greetingTimeout: options.timeoutMs,
        socketTimeout: options.timeoutMs,
        disableFileAccess: true,
        disableUrlAccess: true,
      },
      { from: options.from },
    );
  }

  async send(message: MailMessage): Promise<MailOutcome> {
    try {
      const info = await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // Automatic mail (RFC 3834): out-of-office replies are not sent back to it.
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': message.language },
      });
      const rejected = (info as { rejected?: unknown[] }).rejected ?? [];
      if (rejected.length) return { status: 'failed', detail: 'the relay refused the recipient' };
      return { status: 'sent', messageId: (info as { messageId?: string }).messageId };
    } catch (err) {
      const outcome = smtpOutcome(err);
      const e = err as { code?: string; responseCode?: number };
      // No address and no relay answer in the log: they name people (docs/security.md).
      this.options.log.warn(
        { kind: message.kind, code: e.code, responseCode: e.responseCode, outcome: outcome.status },
        'e-mail not sent',
      );
      return outcome;
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
