import { JwksServer } from '../support/jwksServer';
import { ConnectorStub } from '../support/connectorStub';
import { PRODUCTION_APP_ID as APP_ID, startProductionApp, type TestApp } from '../support/testApp';

// Inbound Bot Framework authentication, proven against a local OpenID/JWKS server: the
// adapter fetches the signing keys from it, and each kind of bad token is refused with 401.

let jwks: JwksServer;
let stub: ConnectorStub;
let t: TestApp;

beforeAll(async () => {
  jwks = await new JwksServer().start();
  stub = await new ConnectorStub().start();
  t = await startProductionApp(jwks.metadataUrl);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
  await jwks.stop();
});

// An event the bot does not answer: an accepted request needs no outbound token. Teams, since a
// production Web Chat user must have signed in (test/webchat/productionIdentity.test.ts).
const activity = () => ({
  type: 'event',
  name: 'auth-probe',
  id: `probe-${Math.random()}`,
  channelId: 'msteams',
  serviceUrl: stub.url,
  from: { id: 'auth-user' },
  conversation: { id: 'auth-conversation' },
  recipient: { id: APP_ID },
});

async function post(token: string | undefined) {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity()),
  });
  return res.status;
}

const valid = () => ({ aud: APP_ID, serviceurl: stub.url });

const references = () => t.app.store.db.selectFrom('conversation_refs').selectAll().execute();

test('a token signed with the published key, for this app and this serviceUrl, is accepted', async () => {
  const before = await references();
  expect(await post(jwks.token(valid()))).toBe(200);
  // The bot ran the turn: it remembered where to reach this user.
  expect((await references()).length).toBe(before.length + 1);
});

test.each([
  ['no token', () => undefined],
  ['wrong audience', () => jwks.token({ ...valid(), aud: 'another-bot' })],
  ['wrong issuer', () => jwks.token({ ...valid(), iss: 'https://sts.example.com/' })],
  ['expired', () => jwks.token({ ...valid(), exp: Math.floor(Date.now() / 1000) - 3600 })],
  ['not yet valid', () => jwks.token({ ...valid(), nbf: Math.floor(Date.now() / 1000) + 3600 })],
  ['signed by an unknown key', () => jwks.token(valid(), { unknownKey: true })],
  ['for another serviceUrl', () => jwks.token({ ...valid(), serviceurl: 'https://smba.example.net/' })],
  [
    'tampered payload',
    () => {
      const [h, , s] = jwks.token(valid()).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ ...valid(), iss: jwks.issuer, exp: 9999999999 })).toString('base64url')}.${s}`;
    },
  ],
])('%s: 401, and the bot does nothing', async (_name, token) => {
  const before = await references();
  expect(await post(token())).toBe(401);
  expect(await references()).toHaveLength(before.length);
});
