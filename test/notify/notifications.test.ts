import { ChatUser, ConnectorStub, TEAMS_TENANT, textOf } from '../support/connectorStub';
import { validPayload, Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { ADMIN, BD, BD2, SUPPORT, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// Every state change of a whole journey, through the real dispatcher, webhook and
// adapter, to a connector stub: exactly the expected messages to exactly the expected people.

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({ env: { NOTIFY_POLL_MS: '20', LOG_LEVEL: process.env.TEST_LOG ?? 'silent' } });
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

const settled = (applicationId: string) => outboxDrained(t.app.store.db, applicationId);

/** New messages (not card updates) per conversation since the last call. */
function inbox(people: ChatUser[]) {
  const seen = new Map<string, number>();
  return () => {
    const out: Record<string, string[]> = {};
    for (const p of people) {
      const posts = stub.for(p.conversationId).filter((r) => r.method === 'POST');
      out[p.userId] = posts.slice(seen.get(p.userId) ?? 0).map((r) => textOf([r.activity]));
      seen.set(p.userId, posts.length);
    }
    return out;
  };
}

test('each transition reaches exactly the people concerned, once, with words for them', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-notify-1');
  const bd = new ChatUser(t.url, stub, BD, 'conv-notify-bd');
  const bd2 = new ChatUser(t.url, stub, BD2, 'conv-notify-bd2');
  const support = new ChatUser(t.url, stub, SUPPORT, 'conv-notify-support');
  const people = [partner, bd, bd2, support];
  for (const p of people) await p.say('help'); // each has talked to the bot once: a reference exists
  const next = inbox(people);
  next();

  const walk = await Walk.register(http, partner.userId, { companyName: 'Notify Journey Co' });
  const step = async (action: string, actor: string, payload: Record<string, unknown> = {}) => {
    await walk.act(action, actor, payload);
    await settled(walk.id);
    return next();
  };
  const app = walk.app;
  await settled(app.id);
  expect(next()).toEqual({ [partner.userId]: [], [BD]: [], [BD2]: [], [SUPPORT]: [] });

  // No BD has taken it yet: every BD hears of it, with the card.
  let got = await step('request-qualification-review', partner.userId);
  expect(got[partner.userId]).toEqual([]);
  for (const who of [BD, BD2]) {
    expect(got[who]).toHaveLength(1);
    expect(got[who][0]).toContain('Notify Journey Co asks for the qualification review');
  }
  expect(got[SUPPORT]).toEqual([]);

  // bd-alice invites: the partner hears; bd-bob's card is updated in place, not re-sent.
  const putsBefore = stub.for(bd2.conversationId).filter((r) => r.method === 'PUT').length;
  got = await step('invite', BD);
  expect(got[partner.userId]).toHaveLength(1);
  expect(got[partner.userId][0]).toContain('issued your invitation');
  expect(got[BD]).toEqual([]);
  expect(got[BD2]).toEqual([]);
  const bobPuts = stub.for(bd2.conversationId).filter((r) => r.method === 'PUT');
  expect(bobPuts.length).toBe(putsBefore + 1);
  expect(textOf([bobPuts.at(-1)!.activity])).toContain(`Invited by ${BD}`);

  const expectOnly = (got: Record<string, string[]>, who: string, text: string) => {
    for (const [user, messages] of Object.entries(got)) {
      if (user === who) {
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain(text);
      } else {
        expect([user, messages]).toEqual([user, []]);
      }
    }
  };
  // From here on bd-alice is the application's BD: only she hears of it.
  expectOnly(
    await step('accept-invitation', partner.userId, { invitationCode: walk.app.invitationCode }),
    BD,
    'accepted the invitation',
  );
  await walk.completeBasics();
  await settled(walk.id);
  expectOnly(next(), 'nobody', '');
  got = await step('submit', partner.userId);
  expectOnly(got, BD, 'submitted the application: please review it by');
  expectOnly(await step('approve', BD), partner.userId, 'Congratulations on passing the qualification');
  got = await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  expectOnly(got, partner.userId, 'please confirm the business terms');
  expect(got[partner.userId][0]).toContain('Commission Policy Information'); // the terms card
  const description = 'The settlement cycle should be quarterly, not monthly.';
  expectOnly(await step('request-modification', partner.userId, { description }), BD, description);
  expectOnly(
    await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet')),
    partner.userId,
    'Your modification request was corrected',
  );
  expectOnly(
    await step('confirm-terms', partner.userId),
    BD,
    'confirmed the business terms: contact the partner',
  );
  expectOnly(
    await step('record-contract-signed', BD, { contractId: 'C-1' }),
    partner.userId,
    'contract is signed',
  );
  expectOnly(await step('activate-acpn', BD), partner.userId, 'ACPN is active: open the console');

  // Each recipient of each event has exactly one delivery record per channel.
  const rows = await t.app.store.db
    .selectFrom('notification_deliveries')
    .innerJoin('outbox', 'outbox.id', 'notification_deliveries.event_id')
    .select(['notification_deliveries.user_id', 'notification_deliveries.status', 'outbox.type'])
    .where('outbox.application_id', '=', app.id)
    .where('notification_deliveries.channel', '=', 'chat')
    .execute();
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  expect(rows).toHaveLength(12);
  // And the guide's e-mails to the partner's contact address, kept (no SMTP_URL on this development instance).
  const emails = await t.app.store.db
    .selectFrom('notification_deliveries')
    .innerJoin('outbox', 'outbox.id', 'notification_deliveries.event_id')
    .select(['notification_deliveries.user_id', 'notification_deliveries.status', 'outbox.type'])
    .where('outbox.application_id', '=', app.id)
    .where('notification_deliveries.channel', '=', 'email')
    .orderBy('outbox.seq')
    .execute();
  expect(emails.map((e) => [e.type, e.user_id, e.status])).toEqual(
    [
      'submit',
      'approve',
      'fill-decision-sheet',
      'fill-decision-sheet',
      'record-contract-signed',
      'activate-acpn',
    ].map((type) => [type, partner.userId, 'kept']),
  );
  expect(ADMIN).toBeDefined();
});

test('a 429 with Retry-After is waited out and the message arrives once', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-notify-429');
  await partner.say('help');
  const reg = await http('POST', '/applications', partner.userId, {
    companyName: 'Throttled Co',
    mainUid: uid(),
    contactEmail: 't@throttled.example.com',
  });
  await http('POST', `/applications/${reg.body.id}/actions/request-qualification-review`, partner.userId, {
    expectedVersion: 1,
    payload: {},
  });
  stub.failNext(partner.conversationId, 429, 1, 1);
  const before = stub.for(partner.conversationId).length;
  await http('POST', `/applications/${reg.body.id}/actions/invite`, BD, { expectedVersion: 2, payload: {} });
  await settled(reg.body.id);
  const posts = stub.for(partner.conversationId).slice(before);
  expect(posts).toHaveLength(1);
  expect(textOf(posts.map((p) => p.activity))).toContain('issued your invitation');
  const tried = stub.attempts.filter((a) => a.conversationId === partner.conversationId).map((a) => a.status);
  expect(tried.slice(-2)).toEqual([429, 200]);
});

test('a 403 (bot removed or blocked) marks the conversation dead and stops trying it', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-notify-403');
  await partner.say('help');
  const reg = await http('POST', '/applications', partner.userId, {
    companyName: 'Blocked Co',
    mainUid: uid(),
    contactEmail: 'b@blocked.example.com',
  });
  const id = reg.body.id;
  await http('POST', `/applications/${id}/actions/request-qualification-review`, partner.userId, {
    expectedVersion: 1,
    payload: {},
  });
  stub.failNext(partner.conversationId, 403, 100);
  await http('POST', `/applications/${id}/actions/invite`, BD, { expectedVersion: 2, payload: {} });
  await settled(id);
  const tries = () =>
    stub.attempts.filter((a) => a.conversationId === partner.conversationId && a.status === 403);
  expect(tries()).toHaveLength(1);
  const refs = await t.app.store.db
    .selectFrom('conversation_refs')
    .select('dead')
    .where('user_id', '=', partner.userId)
    .execute();
  expect(refs.map((r) => r.dead)).toEqual([1]);
  const event = await t.app.store.db
    .selectFrom('outbox')
    .select('id')
    .where('application_id', '=', id)
    .where('type', '=', 'invite')
    .executeTakeFirstOrThrow();
  const records = await t.app.notify.deliveries.forEvent(event.id);
  expect(records.find((r) => r.user_id === partner.userId)?.status).toBe('dead');

  // Later events do not try the dead conversation again.
  await http('POST', `/applications/${id}/actions/reissue-invitation`, BD, {
    expectedVersion: 3,
    payload: {},
  });
  await settled(id);
  expect(tries()).toHaveLength(1);
  // Talking to the bot again brings the conversation back to life.
  stub.failNext(partner.conversationId, 403, 0);
  await partner.say('status');
  const live = await t.app.store.db
    .selectFrom('conversation_refs')
    .select('dead')
    .where('user_id', '=', partner.userId)
    .execute();
  expect(live.map((r) => r.dead)).toEqual([0]);
});

test('a BD who never chatted is reached by opening a Teams chat; elsewhere the event waits in the queue', async () => {
  const silentBd = 'bd-carol-never-chatted';
  const own = await startTestApp({ env: { NOTIFY_POLL_MS: '20', BD_USER_IDS: silentBd } });
  const ownHttp = workflowHttp(own.url);
  const drained = (id: string) => outboxDrained(own.app.store.db, id);
  const ask = async (partner: ChatUser, company: string) => {
    await partner.say('help');
    const reg = await ownHttp('POST', '/applications', partner.userId, {
      companyName: company,
      mainUid: uid(),
      contactEmail: 'nc@never.example.com',
    });
    await ownHttp(
      'POST',
      `/applications/${reg.body.id}/actions/request-qualification-review`,
      partner.userId,
      {
        expectedVersion: 1,
        payload: {},
      },
    );
    await drained(reg.body.id);
    const event = await own.app.store.db
      .selectFrom('outbox')
      .select('id')
      .where('application_id', '=', reg.body.id)
      .where('type', '=', 'request-qualification-review')
      .executeTakeFirstOrThrow();
    return own.app.notify.deliveries.forEvent(event.id);
  };
  try {
    // Only Web Chat so far: no way to open a chat with her; the event waits in her queue.
    const webOnly = await ask(
      new ChatUser(own.url, stub, 'partner-web-only', 'conv-web-only'),
      'Web Only Co',
    );
    expect(webOnly.map((r) => [r.user_id, r.status])).toEqual([[silentBd, 'unreachable']]);
    const queue = await ownHttp('GET', '/applications?status=qualification_review', silentBd);
    expect(queue.body.map((a: { companyName: string }) => a.companyName)).toContain('Web Only Co');

    // A Teams user has talked to the bot: its service URL and tenant let the bot open her a chat.
    const createdBefore = stub.created.length;
    const teams = new ChatUser(own.url, stub, 'partner-teams-x', 'conv-partner-teams-x', 'msteams');
    const viaTeams = await ask(teams, 'Never Chatted Co');
    expect(viaTeams.map((r) => [r.user_id, r.status])).toEqual([[silentBd, 'sent']]);
    const created = stub.created.slice(createdBefore);
    expect(created).toHaveLength(1);
    expect(created[0].params.members).toEqual([{ id: silentBd, name: '' }]);
    expect(created[0].params.tenantId).toBe(TEAMS_TENANT);
    expect(textOf(stub.for(created[0].id).map((r) => r.activity))).toContain(
      'Never Chatted Co asks for the qualification review',
    );
    // The new chat is remembered for next time.
    const refs = await own.app.store.db
      .selectFrom('conversation_refs')
      .select('conversation_id')
      .where('user_id', '=', silentBd)
      .execute();
    expect(refs.map((r) => r.conversation_id)).toEqual([created[0].id]);
  } finally {
    await own.stop();
  }
});
