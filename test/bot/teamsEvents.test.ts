import { ConnectorStub, textOf } from '../support/connectorStub';
import { startTestApp, type TestApp } from '../support/testApp';

// Teams' lifecycle events and the tenant allow-list, over HTTP as Teams sends them.

const TENANT = 'tenant-contoso';
let t: TestApp;
let stub: ConnectorStub;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({
    env: {
      ALLOWED_TENANT_IDS: `${TENANT},tenant-fabrikam`,
      TURN_RATE_LIMIT: '5',
      TURN_RATE_WINDOW_SECONDS: '3600',
    },
  });
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

let seq = 0;
async function teams(user: string, conversation: string, fields: Record<string, unknown>, tenant = TENANT) {
  const before = stub.for(conversation).length;
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: `teams-${++seq}`,
      channelId: 'msteams',
      serviceUrl: stub.url,
      from: { id: `29:${user}`, aadObjectId: user, name: user },
      recipient: { id: '28:bot', name: 'bot' },
      conversation: { id: conversation, tenantId: tenant, conversationType: 'personal' },
      channelData: { tenant: { id: tenant } },
      timestamp: new Date().toISOString(),
      ...fields,
    }),
  });
  expect(res.status).toBeLessThan(300);
  return stub
    .for(conversation)
    .slice(before)
    .map((r) => r.activity);
}

const refsOf = (user: string) =>
  t.app.store.db
    .selectFrom('conversation_refs')
    .select(['conversation_id'])
    .where('user_id', '=', user)
    .execute();

test('install: one welcome though Teams sends both installationUpdate and conversationUpdate', async () => {
  const user = 'aad-install-1';
  const conv = 'a:install-1';
  const first = await teams(user, conv, { type: 'installationUpdate', action: 'add' });
  const second = await teams(user, conv, { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] });
  const welcomes = [...first, ...second].filter((a) => (a.text ?? '').includes('Welcome'));
  expect(welcomes).toHaveLength(1);
  // The AAD object id is the stable user id the reference is kept under.
  expect((await refsOf(user)).map((r) => r.conversation_id)).toEqual([conv]);
});

test('uninstall and removal forget the conversation; a person leaving forgets only them', async () => {
  const user = 'aad-uninstall-1';
  await teams(user, 'a:uninstall-1', { type: 'message', text: 'help' });
  expect(await refsOf(user)).toHaveLength(1);
  await teams(user, 'a:uninstall-1', { type: 'installationUpdate', action: 'remove' });
  expect(await refsOf(user)).toHaveLength(0);

  await teams('aad-member-a', 'a:team-1', { type: 'message', text: 'help' });
  await teams('aad-member-b', 'a:team-1', { type: 'message', text: 'help' });
  await teams('aad-member-a', 'a:team-1', {
    type: 'conversationUpdate',
    membersRemoved: [{ id: '29:aad-member-b', aadObjectId: 'aad-member-b' }],
  });
  expect(await refsOf('aad-member-b')).toHaveLength(0);
  expect(await refsOf('aad-member-a')).toHaveLength(1);
  await teams('aad-member-a', 'a:team-1', { type: 'conversationUpdate', membersRemoved: [{ id: '28:bot' }] });
  expect(await refsOf('aad-member-a')).toHaveLength(0);
});

test('another tenant is refused politely, logged, and nothing is remembered', async () => {
  const replies = await teams('aad-outsider', 'a:outsider', { type: 'message', text: 'hi' }, 'tenant-evil');
  expect(textOf(replies)).toContain('only available to the organisations');
  expect(textOf(replies)).not.toContain('Before you apply');
  expect(await refsOf('aad-outsider')).toHaveLength(0);
  const inside = await teams('aad-insider', 'a:insider', { type: 'message', text: 'hi' }, 'tenant-fabrikam');
  expect(textOf(inside)).toContain('Before you apply');
});

test('more turns than the limit: asked once to slow down, then ignored until the window ends', async () => {
  const conv = 'a:fast';
  const replies: string[] = [];
  for (let i = 0; i < 8; i++)
    replies.push(textOf(await teams('aad-fast', conv, { type: 'message', text: 'help' })));
  expect(replies.slice(0, 5).every((r) => r.includes('I guide you'))).toBe(true);
  expect(replies[5]).toContain('faster than I can keep up');
  expect(replies.slice(6)).toEqual(['', '']);
  // Teams' automatic card refreshes are not the person's doing and are not counted.
  for (let i = 0; i < 8; i++) {
    await teams('aad-scroller', 'a:scroller', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'card.refresh', data: { applicationId: 'x' } },
        trigger: 'automatic',
      },
    });
  }
  expect(textOf(stub.for('a:scroller').map((r) => r.activity))).not.toContain('faster than I can keep up');
  expect(textOf(await teams('aad-scroller', 'a:scroller', { type: 'message', text: 'help' }))).toContain(
    'I guide you',
  );
  // Someone else is not affected.
  expect(textOf(await teams('aad-calm', 'a:calm', { type: 'message', text: 'help' }))).toContain(
    'I guide you',
  );
});

test('install: one welcome even when Teams delivers installationUpdate and conversationUpdate at the same moment', async () => {
  // Both pass a check that is saved only at turn end; the welcome row is claimed atomically instead.
  for (let i = 0; i < 5; i++) {
    const user = `aad-install-race-${i}`;
    const conv = `a:install-race-${i}`;
    await Promise.all([
      teams(user, conv, { type: 'installationUpdate', action: 'add' }),
      teams(user, conv, { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }),
    ]);
    // Everything the conversation received (each call's own slice would see the other's reply too).
    const welcomes = stub.for(conv).filter((r) => (r.activity.text ?? '').includes('Welcome'));
    expect([conv, welcomes.length]).toEqual([conv, 1]);
  }
});
