import net from 'node:net';
import { createLogger } from '../../src/logger';
import { smtpOutcome } from '../../src/mail/mailer';
import { SmtpMailer } from '../../src/mail/smtpMailer';
import { SmtpSink } from '../support/smtpSink';

// The SMTP client against a real SMTP server on loopback: TLS and the login come from the
// URL, as nodemailer reads it; what the relay answers decides between trying again and giving up.

const log = createLogger('silent');
const message = {
  to: 'li.wei@partner.example',
  subject: '杭州示例科技有限公司：申请已提交，正在审核',
  text: '您的申请已提交。',
  html: '<p>您的申请已提交。</p>',
  language: 'zh-CN' as const,
  kind: 'email.submit.partner',
};
let sink: SmtpSink;

beforeAll(async () => {
  sink = await new SmtpSink({ user: 'relay@onboarding.example', pass: 'p@ss:word/1' }).start();
});
afterAll(() => sink.stop());

test('an e-mail goes through a relay with the login the URL gives, both parts and the subject intact', async () => {
  const mailer = new SmtpMailer({
    url: sink.url,
    from: 'Onboarding <onboarding@onboarding.example>',
    timeoutMs: 2000,
    log,
  });
  try {
    expect(await mailer.send(message)).toEqual({ status: 'sent', messageId: expect.any(String) });
    const [got] = await sink.waitFor(message.to, 1);
    expect(got.subject).toBe(message.subject);
    expect(got.text.trim()).toBe(message.text);
    expect(got.html).toBe(message.html);
    expect(got.from).toBe('onboarding@onboarding.example');
    expect(got.headers.get('content-language')).toBe('zh-CN');
    expect(got.headers.get('auto-submitted')).toBe('auto-generated');
  } finally {
    await mailer.close();
  }
});

test('a wrong password is the relay setting’s trouble, not the message’s: tried again later, nothing sent', async () => {
  const url = sink.url.replace(encodeURIComponent('p@ss:word/1'), 'wrong');
  const mailer = new SmtpMailer({ url, from: 'onboarding@onboarding.example', timeoutMs: 2000, log });
  try {
    const before = sink.received.length;
    const outcome = await mailer.send({ ...message, to: 'nobody-1@partner.example' });
    expect(outcome.status).toBe('retry');
    expect(sink.received.length).toBe(before);
  } finally {
    await mailer.close();
  }
});

test('no relay listening: tried again later, within the timeout', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const mailer = new SmtpMailer({
    url: `smtp://127.0.0.1:${closed}`,
    from: 'a@b.example',
    timeoutMs: 500,
    log,
  });
  const started = Date.now();
  try {
    expect((await mailer.send(message)).status).toBe('retry');
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    await mailer.close();
  }
});

test('a 451 on the recipient is temporary and a 550 permanent, as the relay says them', async () => {
  const mailer = new SmtpMailer({
    url: sink.url,
    from: 'onboarding@onboarding.example',
    timeoutMs: 2000,
    log,
  });
  try {
    sink.answer('grey@partner.example', [451]);
    const grey = await mailer.send({ ...message, to: 'grey@partner.example' });
    expect(grey).toEqual({ status: 'retry', detail: expect.stringContaining('451') });
    expect((await mailer.send({ ...message, to: 'grey@partner.example' })).status).toBe('sent');

    sink.answer('gone@partner.example', [550]);
    const gone = await mailer.send({ ...message, to: 'gone@partner.example' });
    expect(gone).toEqual({ status: 'failed', detail: expect.stringContaining('550 5.1.1') });
  } finally {
    await mailer.close();
  }
});

test('what a failure means, by the relay’s answer', () => {
  const at = (e: object) => smtpOutcome(e).status;
  expect(at({ code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 greylisted' })).toBe('retry');
  expect(at({ code: 'EENVELOPE', responseCode: 550, response: '550 no such user' })).toBe('failed');
  expect(at({ code: 'EMESSAGE', responseCode: 552, response: '552 mailbox full' })).toBe('failed');
  expect(at({ code: 'EPROTOCOL', responseCode: 503, response: '503 bad sequence' })).toBe('retry');
  expect(at({ code: 'EENVELOPE', message: 'No recipients defined' })).toBe('failed');
  expect(at({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toBe('retry');
  expect(at({ code: 'ESOCKET', message: 'connect ECONNREFUSED' })).toBe('retry');
  expect(at({ code: 'EAUTH', responseCode: 535, response: '535 Invalid login' })).toBe('retry');
  expect(smtpOutcome({ response: 'a\r\nb'.repeat(200) }).detail).not.toMatch(/[\r\n]/);
});
