import { randomUUID } from 'node:crypto';
import type { MailMessage, MailOutcome, Mailer } from './mailer';

export interface KeptMessage extends MailMessage {
  id: string;
  from: string;
  at: string;
}

/** How many kept e-mails a development instance remembers (the newest). */
const KEEP = 200;

/**
 * A development instance without SMTP_URL: every e-mail it would have sent is kept here,
 * newest first, and listed on the dev chat page (GET /devchat/emails), so a newcomer sees the
 * e-mails (and Web Chat sign-in codes) too. In memory: a development instance is one process.
 */
export class KeptMail implements Mailer {
  readonly delivers = false;
  private readonly messages: KeptMessage[] = [];

  constructor(private readonly from: string) {}

  async send(message: MailMessage): Promise<MailOutcome> {
    this.messages.unshift({ ...message, id: randomUUID(), from: this.from, at: new Date().toISOString() });
    this.messages.length = Math.min(this.messages.length, KEEP);
    return { status: 'kept' };
  }

  /** The kept e-mails, newest first; only those to `to` when given. */
  list(to?: string): KeptMessage[] {
    const wanted = to?.trim().toLowerCase();
    return wanted ? this.messages.filter((m) => m.to.toLowerCase() === wanted) : [...this.messages];
  }

  async close(): Promise<void> {}
}
