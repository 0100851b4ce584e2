import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  at: number;
}

/**
 * A real SMTP server on loopback (the smtp-server package), as a relay would answer: it
 * accepts what is sent and records it parsed (mailparser), and can refuse a recipient with
 * the codes it is told to, in turn (451 then accept, 550 for good). With a user and
 * password it requires that login.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Every RCPT TO the server was asked, and the code it answered. */
  readonly attempts: { to: string; code: number }[] = [];
  private readonly plans = new Map<string, number[]>();
  /** Every answer to DATA waits this long, as a distant relay does. */
  latencyMs = 0;
  private server?: SMTPServer;
  port = 0;

  constructor(
    private readonly login?: { user: string; pass: string },
    /** false: record only the envelope (a benchmark's sink spends nothing on parsing). */
    private readonly parse = true,
  ) {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      logger: false,
      // Plain SMTP on loopback: no STARTTLS offered (its test certificate would not verify).
      disabledCommands: this.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !this.login,
      size: 1024 * 1024,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.login?.user && auth.password === this.login?.pass)
          cb(null, { user: auth.username });
        else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo: (address, _session, cb) => {
        const to = address.address.toLowerCase();
        const plan = this.plans.get(to);
        const code = plan?.length ? plan.shift()! : 250;
        this.attempts.push({ to, code });
        if (code === 250) return cb();
        const message =
          code >= 500
            ? `5.1.1 <${to}>: Recipient address rejected: no such mailbox`
            : '4.7.1 Greylisted, try again later';
        cb(Object.assign(new Error(message), { responseCode: code }));
      },
      onData: (stream, session, cb) => {
        if (!this.parse) {
          stream.on('data', () => undefined);
          stream.on('end', () => {
            this.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: '',
              text: '',
              html: '',
              headers: new Map(),
              at: Date.now(),
            });
            cb();
          });
          return;
        }
        simpleParser(stream)
          .then((mail) => {
            const answer = () => {
              this.received.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                headers: mail.headers as Map<string, unknown>,
                at: Date.now(),
              });
              cb();
            };
            if (this.latencyMs) setTimeout(answer, this.latencyMs);
            else answer();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** smtp://… for SMTP_URL: the login when there is one. */
  get url(): string {
    const auth = this.login
      ? `${encodeURIComponent(this.login.user)}:${encodeURIComponent(this.login.pass)}@`
      : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  /** The next RCPT TO for this address get these codes in turn (250 accepts), then every one is accepted. */
  answer(address: string, codes: number[]): void {
    this.plans.set(address.toLowerCase(), [...codes]);
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until `count` e-mails reached `address` (or throws after `timeoutMs`, naming what arrived). */
  async waitFor(address: string, count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `${address} got ${this.to(address).length} e-mails, wanted ${count}: ${JSON.stringify(this.to(address).map((m) => m.subject))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.to(address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
