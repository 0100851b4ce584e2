import { TestAdapter, TurnContext } from 'botbuilder';
import { ConnectorStub } from '../support/connectorStub';
import { JwksServer } from '../support/jwksServer';
import { PRODUCTION_APP_ID as APP_ID, startProductionApp, type TestApp } from '../support/testApp';

// In production Web Chat's identity comes from the server: a Web Chat (Direct Line) activity,
// even with a valid Bot Framework token, is taken only from a user id a sign-in issued. Teams
// is not affected. (Azure's Direct Line keeps each token's from.id; the bot checks the id itself.)

let jwks: JwksServer;
let stub: ConnectorStub;
let t: TestApp;

beforeAll(async () => {
  jwks = await new JwksServer().start();
  stub = await new ConnectorStub().start();
  t = await startProductionApp(jwks.metadataUrl, { CHAT_URL: 'https://onboarding.example/chat' });
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
  await jwks.stop();
});

/** A conversationUpdate (the bot sends nothing for it outbound-free) as the channel would post it. */
async function join(channelId: string, fromId: string, conversation: string) {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${jwks.token({ aud: APP_ID, serviceurl: stub.url })}`,
    },
    body: JSON.stringify({
      type: 'event',
      name: 'identity-probe',
      id: `probe-${Math.random()}`,
      channelId,
      serviceUrl: stub.url,
      from: { id: fromId, aadObjectId: fromId },
      conversation: { id: conversation },
      recipient: { id: APP_ID },
    }),
  });
  return res.status;
}

const referencesOf = (userId: string) =>
  t.app.store.db.selectFrom('conversation_refs').selectAll().where('user_id', '=', userId).execute();

test('a Web Chat user id nobody signed in is refused: the turn does nothing and nothing is kept', async () => {
  expect(await join('webchat', 'partner-typed-this', 'conv-forged-1')).toBe(200);
  expect(await join('webchat', 'dl_made-up-id-0000000000', 'conv-forged-2')).toBe(200);
  expect(await referencesOf('partner-typed-this')).toEqual([]);
  expect(await referencesOf('dl_made-up-id-0000000000')).toEqual([]);
});

test('an id a sign-in issued is taken; Teams ids are the channel’s own and unaffected', async () => {
  await t.app.store.db
    .insertInto('webchat_identities')
    .values({
      email: 'signed@partner.example',
      user_id: 'dl_issuedAtSignIn0000000',
      created_at: new Date().toISOString(),
      signed_in_at: new Date().toISOString(),
    })
    .execute();
  expect(await join('webchat', 'dl_issuedAtSignIn0000000', 'conv-signed')).toBe(200);
  expect(await referencesOf('dl_issuedAtSignIn0000000')).toHaveLength(1);
  expect(await join('msteams', 'aad-object-id-1', 'conv-teams')).toBe(200);
  expect(await referencesOf('aad-object-id-1')).toHaveLength(1);
});

test('the refused user is told where to sign in, in their language', async () => {
  const adapter = new TestAdapter();
  const said: string[] = [];
  for (const locale of ['en-US', 'zh-CN']) {
    const ctx = new TurnContext(adapter, {
      type: 'message',
      text: 'status',
      channelId: 'webchat',
      locale,
      from: { id: 'partner-typed-this', name: 'x' },
      conversation: { id: 'conv-forged-3' },
      recipient: { id: APP_ID, name: 'bot' },
      serviceUrl: stub.url,
    } as never);
    ctx.onSendActivities(async (_c, activities, next) => {
      said.push(...activities.map((a) => a.text ?? ''));
      return next();
    });
    await t.app.bot.handler.run(ctx);
  }
  expect(said).toEqual([
    'Please sign in to the chat with your contact e-mail first: https://onboarding.example/chat',
    '请先使用您的联系邮箱登录聊天：https://onboarding.example/chat',
  ]);
});
