import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { ADMIN, BD, SUPPORT, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

let t: TestApp;
let stub: ConnectorStub;
let now = Date.now();

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  // The reminder timer is left idle: each test runs a pass itself, at a chosen time.
  t = await startTestApp({
    clock: () => new Date(now),
    env: { REMINDER_INTERVAL_MS: '3600000', NOTIFY_POLL_MS: '20' },
  });
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

test('the BD is reminded once before the deadline; support and admins once when it is missed', async () => {
  const bd = new ChatUser(t.url, stub, BD, 'conv-remind-bd');
  const support = new ChatUser(t.url, stub, SUPPORT, 'conv-remind-support');
  const admin = new ChatUser(t.url, stub, ADMIN, 'conv-remind-admin');
  for (const p of [bd, support, admin]) await p.say('help');
  const app = await driveTo(workflowHttp(t.url), 'partner-remind', 'submitted');
  const due = Date.parse(app.body.dueDate);
  const texts = (p: ChatUser) => stub.for(p.conversationId).map((r) => r.activity.text ?? '');
  const reminders = (p: ChatUser) => texts(p).filter((x) => x.includes(app.body.companyName));

  now = due - 48 * 3600_000; // two days before: too early
  expect((await t.app.notify.reminders.tick()).filter((r) => r.applicationId === app.id)).toEqual([]);

  now = due - 6 * 3600_000;
  const soon = (await t.app.notify.reminders.tick()).filter((r) => r.applicationId === app.id);
  expect(soon).toEqual([{ applicationId: app.id, kind: 'due-soon', to: [BD] }]);
  expect(reminders(bd).filter((x) => x.startsWith('Reminder:'))).toHaveLength(1);
  await t.app.notify.reminders.tick();
  expect(reminders(bd).filter((x) => x.startsWith('Reminder:'))).toHaveLength(1); // once per deadline

  now = due + 3600_000;
  const missed = (await t.app.notify.reminders.tick()).filter((r) => r.applicationId === app.id);
  expect(missed).toEqual([{ applicationId: app.id, kind: 'missed', to: [SUPPORT, ADMIN] }]);
  await t.app.notify.reminders.tick();
  for (const p of [support, admin]) {
    expect(reminders(p).filter((x) => x.startsWith('Deadline missed'))).toHaveLength(1);
  }
  expect(reminders(bd).filter((x) => x.startsWith('Deadline missed'))).toHaveLength(0);
  now = Date.now();
});

test('an unanswered question goes to support in chat and the first reply reaches the partner', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-handover');
  const support = new ChatUser(t.url, stub, SUPPORT, 'conv-handover-support');
  const admin = new ChatUser(t.url, stub, ADMIN, 'conv-handover-admin');
  for (const p of [support, admin]) await p.say('help');

  const reply = await partner.say('Can I pay the partner fee with a credit card?');
  expect(textOf(reply)).toContain("couldn't find this");
  const ask = findButton(reply, (d) => d.verb === 'support.handover')!;
  const before = stub.for(support.conversationId).length;
  expect(textOf(await partner.say(ask.data))).toContain('handed to our support team');

  const arrived = stub
    .for(support.conversationId)
    .slice(before)
    .map((r) => r.activity);
  expect(textOf(arrived)).toContain('Can I pay the partner fee with a credit card?');
  const answerButton = findButton(arrived, (d) => d.verb === 'support.answer')!;
  expect(textOf(await support.say({ ...answerButton.data, answer: '' }))).toContain('type the answer');
  const partnerBefore = stub.for(partner.conversationId).length;
  expect(
    textOf(await support.say({ ...answerButton.data, answer: 'Yes, by bank transfer only.' })),
  ).toContain('Sent to the partner');
  const relayed = stub
    .for(partner.conversationId)
    .slice(partnerBefore)
    .map((r) => r.activity);
  expect(textOf(relayed)).toContain('Yes, by bank transfer only.');

  // The admin got the same card; a second answer is not sent twice.
  const adminCard = findButton(
    stub.for(admin.conversationId).map((r) => r.activity),
    (d) => d.verb === 'support.answer' && d.handoverId === answerButton.data.handoverId,
  )!;
  expect(textOf(await admin.say({ ...adminCard.data, answer: 'No.' }))).toContain(
    `Already answered by ${SUPPORT}`,
  );
  expect(stub.for(partner.conversationId).length).toBe(partnerBefore + 1);

  // A partner cannot answer handed-over questions.
  expect(textOf(await partner.say({ ...answerButton.data, answer: 'hijack' }))).toContain(
    'Only support staff',
  );
});
