import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { ChatUser, ConnectorStub } from '../support/connectorStub';
import { validPayload, Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { BD, SUPPORT, startTestApp, uid, workflowHttp } from '../support/testApp';

// Every log line of a whole journey (chat, workflow API, notifications, a refused webhook,
// a failed turn), at the most verbose level, searched for secrets, tokens and personal data.

const TOKEN = 'workflow-token-that-must-never-be-logged-0123456789';
const SECRET = 'notify-secret-that-must-never-be-logged-0123456789';
const EMAIL = 'li.wei.private@customer.example.com';
const PHONE = '+86 571 8765 4321';
const NAME = 'Li Wei Privatename';

test('a full journey logs no secret, token, e-mail, phone or contact name', async () => {
  const lines: string[] = [];
  const stub = await new ConnectorStub().start();
  const t = await startTestApp({
    env: { LOG_LEVEL: 'trace', WORKFLOW_API_TOKEN: TOKEN, NOTIFY_SECRET: SECRET, NOTIFY_POLL_MS: '20' },
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  try {
    const http = workflowHttp(t.url, TOKEN);
    const partner = new ChatUser(t.url, stub, 'partner-privacy');
    const bd = new ChatUser(t.url, stub, BD, 'conv-privacy-bd');
    const support = new ChatUser(t.url, stub, SUPPORT, 'conv-privacy-support');
    await bd.say('help');
    // Registration typed in chat: the e-mail goes through the bot.
    for (const line of ['hi', 'yes', 'Privacy Test Co', uid(), EMAIL]) await partner.say(line);
    const [registered] = (await http('GET', '/applications', partner.userId)).body;
    const walk = Walk.of(http, partner.userId, registered);
    await walk.toDraft();
    await walk.completeBasics({ contactName: NAME, contactPhone: PHONE });
    await walk.act('submit', partner.userId);
    await walk.act('approve', BD);
    await walk.act('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
    await walk.act('confirm-terms', partner.userId);
    await walk.act('record-contract-signed', BD);
    await walk.act('activate-acpn', BD);
    await partner.say('status');
    await partner.say(`My phone is ${PHONE}, can you call me?`);
    await support.say('Privacy Test');
    // Bad input, a refused webhook and an unauthorised workflow call log too.
    await http('POST', `/applications/${walk.id}/actions/submit`, partner.userId, { expectedVersion: 1 });
    await fetch(`${t.url}/api/notify`, {
      method: 'POST',
      headers: { 'x-notify-timestamp': '1', 'x-notify-signature': 'sha256=00' },
      body: '{}',
    });
    await workflowHttp(t.url, 'a-wrong-token')('GET', '/applications', partner.userId);
    await outboxDrained(t.app.store.db);
  } finally {
    await t.stop();
    await stub.stop();
  }
  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(20); // the journey was logged
  expect(log).toContain('"msg":"notified"');
  for (const forbidden of [
    TOKEN,
    SECRET,
    EMAIL,
    'customer.example.com',
    PHONE,
    '8765 4321',
    NAME,
    'Bearer ',
  ]) {
    expect([forbidden, log.includes(forbidden)]).toEqual([forbidden, false]);
  }
}, 60_000);

test('the logger redacts tokens, contact details and typed text even when code logs them by mistake', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  log.info(
    {
      req: { headers: { authorization: `Bearer ${TOKEN}` } },
      application: { contactEmail: EMAIL, contactPhone: PHONE, contactName: NAME },
      activity: { text: `my e-mail is ${EMAIL}` },
      contactEmail: EMAIL,
    },
    'careless',
  );
  const line = lines.join('');
  expect(line).toContain('careless');
  for (const forbidden of [TOKEN, EMAIL, PHONE, NAME]) expect(line).not.toContain(forbidden);
});

test("restify's own log lines go through the product's logger: never a request's authorization header", async () => {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  const log = createLogger('trace', sink);
  const server = createHttpServer(log);
  // A body the JSON formatter cannot write: restify logs the request with its formatter error.
  server.get('/unformattable', (_req, res, next) => {
    res.send(200, { big: BigInt(1) });
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/unformattable?t=secret-query-token`, {
      headers: { authorization: 'Bearer super-secret-bearer' },
    });
    await res.text();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  expect(out).toContain('/unformattable');
  expect(out).not.toContain('super-secret-bearer');
  expect(out).not.toContain('secret-query-token');
});
