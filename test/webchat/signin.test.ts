import { SUPPORT, startTestApp, type TestApp } from '../support/testApp';

// Web Chat sign-in on a development instance (no SMTP_URL: the code e-mail is kept and listed
// for the dev chat page): a one-time code to the address, short-lived, single use, a few
// guesses, a few codes per window; then a Direct Line token from the dev channel bound to the
// user, and the dev channel refuses an activity whose from.id is anyone else.

let t: TestApp;
let now = Date.now();

beforeAll(async () => {
  t = await startTestApp({
    clock: () => new Date(now),
    env: { STAFF_EMAILS: `${SUPPORT}=sam@alibaba.example` },
  });
});
afterAll(() => t.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The newest code e-mailed to the address, as the dev chat page lists it. */
async function codeSentTo(address: string): Promise<{ code: string; subject: string; text: string }> {
  const kept = (await (
    await fetch(`${t.url}/devchat/emails?to=${encodeURIComponent(address)}`)
  ).json()) as any[];
  const [mail] = kept.filter((m) => m.kind === 'email.signin');
  const code = /(\d{6})/.exec(mail.text)![1];
  return { code, subject: mail.subject, text: mail.text };
}

async function signIn(address: string) {
  expect((await post('/api/webchat/code', { email: address })).status).toBe(202);
  const { code } = await codeSentTo(address);
  const r = await post('/api/webchat/token', { email: address, code });
  expect(r.status).toBe(200);
  return r.body as { token: string; conversationId: string; userId: string; directLine: string };
}

test('a code goes to the address in the language asked; it is the one way to a token, and works once', async () => {
  const address = 'li.wei@partner-a.example';
  const sent = await post('/api/webchat/code', { email: `  Li.Wei@Partner-A.example `, language: 'zh-CN' });
  expect(sent).toMatchObject({ status: 202, body: { sent: true, expiresInMinutes: 10 } });
  const mail = await codeSentTo(address);
  expect(mail.subject).toBe('合作伙伴入驻聊天的登录验证码');
  expect(mail.text).toContain('10 分钟内');

  expect(
    (await post('/api/webchat/token', { email: address, code: '000000' === mail.code ? '111111' : '000000' }))
      .body.error.code,
  ).toBe('invalid_code');
  const ok = await post('/api/webchat/token', { email: 'LI.WEI@partner-a.example', code: mail.code });
  expect(ok.status).toBe(200);
  expect(ok.body.userId).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
  expect(ok.body.token).toEqual(expect.any(String));
  expect(ok.body.directLine).toBe(`${t.url}/v3/directline`);
  expect(ok.headers.get('cache-control')).toBe('no-store');
  // Single use.
  expect((await post('/api/webchat/token', { email: address, code: mail.code })).status).toBe(401);
  // The same address signs in as the same user again; another address is someone else.
  const again = await signIn(address);
  expect(again.userId).toBe(ok.body.userId);
  expect((await signIn('other@partner-b.example')).userId).not.toBe(ok.body.userId);
});

test('a code stops working after 10 minutes, and after 5 wrong guesses', async () => {
  const late = 'late@partner-c.example';
  await post('/api/webchat/code', { email: late });
  const { code } = await codeSentTo(late);
  now += 11 * 60_000;
  expect((await post('/api/webchat/token', { email: late, code })).status).toBe(401);
  now = Date.now();

  const guessed = 'guessed@partner-d.example';
  await post('/api/webchat/code', { email: guessed });
  const real = (await codeSentTo(guessed)).code;
  const wrong = real === '123456' ? '654321' : '123456';
  for (let i = 0; i < 4; i++)
    expect((await post('/api/webchat/token', { email: guessed, code: wrong })).status).toBe(401);
  const fifth = await post('/api/webchat/token', { email: guessed, code: wrong });
  expect(fifth.status).toBe(429);
  // Locked: even the right code no longer works; a new code does.
  expect((await post('/api/webchat/token', { email: guessed, code: real })).status).toBe(429);
  await post('/api/webchat/code', { email: guessed });
  expect(
    (await post('/api/webchat/token', { email: guessed, code: (await codeSentTo(guessed)).code })).status,
  ).toBe(200);
});

test('at most 3 codes to one address per 15 minutes; then 429 with Retry-After until the window ends', async () => {
  const flooded = 'flooded@partner-e.example';
  for (let i = 0; i < 3; i++) expect((await post('/api/webchat/code', { email: flooded })).status).toBe(202);
  const fourth = await post('/api/webchat/code', { email: flooded });
  expect(fourth.status).toBe(429);
  expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(60);
  const kept = (await (await fetch(`${t.url}/devchat/emails?to=${flooded}`)).json()) as any[];
  expect(kept).toHaveLength(3);
  now += 16 * 60_000;
  expect((await post('/api/webchat/code', { email: flooded })).status).toBe(202);
  now = Date.now();
});

test('the dev chat page lists the kept e-mails, also to a reader without scripts', async () => {
  await post('/api/webchat/code', { email: 'listed@partner-g.example' });
  const html = await (await fetch(`${t.url}/?as=partner`)).text();
  expect(html).toContain('E-mails this instance would have sent');
  expect(html).toContain('Your sign-in code for the partner onboarding chat');
  expect(html).toContain('To: listed@partner-g.example');
});

test('bad input is a 400 naming the field', async () => {
  expect((await post('/api/webchat/code', { email: 'not an address' })).body.error.message).toContain(
    'email:',
  );
  expect((await post('/api/webchat/code', {})).status).toBe(400);
  expect(
    (await post('/api/webchat/token', { email: 'a@b.example', code: '12ab56' })).body.error.message,
  ).toContain('code: must be the six digits');
  expect((await post('/api/webchat/token', 'x')).status).toBe(400);
});

test('staff sign in with their STAFF_EMAILS address and are their configured user', async () => {
  expect((await signIn('Sam@Alibaba.example')).userId).toBe(SUPPORT);
});

test('the token is bound to its user: an activity with another from.id is refused and reaches nobody', async () => {
  const session = await signIn('bound@partner-f.example');
  const dl = session.directLine;
  const auth = { authorization: `Bearer ${session.token}` };
  const started = await post(`/v3/directline/conversations`, undefined, auth);
  expect(started.status).toBe(201);
  const conversation = started.body.conversationId;
  expect(conversation).toBe(session.conversationId);
  const activities = async () =>
    ((await (await fetch(`${dl}/conversations/${conversation}/activities`, { headers: auth })).json()) as any)
      .activities as any[];
  const before = (await activities()).length;

  for (const forged of ['dev-partner', 'dl_someone-else', SUPPORT]) {
    const r = await post(
      `/v3/directline/conversations/${conversation}/activities`,
      { type: 'message', text: 'status', from: { id: forged } },
      auth,
    );
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('from_mismatch');
  }
  expect((await activities()).length).toBe(before);

  const mine = await post(
    `/v3/directline/conversations/${conversation}/activities`,
    { type: 'message', text: 'hi', from: { id: session.userId } },
    auth,
  );
  expect(mine.status).toBe(200);
  const after = await activities();
  expect(after.some((a) => a.from.role === 'bot' && /certification/i.test(a.text ?? ''))).toBe(true);
});
