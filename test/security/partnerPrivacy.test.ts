import { driveTo } from '../support/journey';
import { ADMIN, BD, SUPPORT, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// A second partner who types a UID that is already on another enterprise's application
// learns only that: never that enterprise's name, its business type or its application.
// BDs, support and admins keep the details they need to check it (FAQ Q2, Q4).

let t: TestApp;
let http: ReturnType<typeof workflowHttp>;
const OWNER = 'partner-secret-owner';
const PROBER = 'partner-prober';
const SECRET_NAME = 'Secret Corp Holdings';
let secretUid: string;
let secretId: string;

beforeAll(async () => {
  t = await startTestApp();
  http = workflowHttp(t.url);
  secretUid = uid();
  const owner = await http('POST', '/applications', OWNER, {
    companyName: SECRET_NAME,
    mainUid: secretUid,
    businessType: 'distributor',
    contactEmail: 'owner@secret.example.com',
  });
  expect(owner.status).toBe(201);
  secretId = owner.body.id;
});
afterAll(() => t.stop());

/** Nothing of the other enterprise's in an answer: its name, its business type, its application id. */
function expectNothingOfTheOwner(answer: unknown, { echoesItsId = false } = {}) {
  const text = JSON.stringify(answer);
  expect(text).not.toContain('Secret Corp');
  expect(text).not.toContain('distributor');
  // A 404 repeats the id the caller sent, exactly as for an id that does not exist.
  if (!echoesItsId) expect(text).not.toContain(secretId);
  expect(text).not.toContain('owner@secret');
}

const PARTNER_WARNING = { field: 'uids', code: 'uid_on_another_application' };

test('registering with a UID on another enterprise: the partner is warned without being told whose', async () => {
  const r = await http('POST', '/applications', PROBER, {
    companyName: 'Prober Ltd',
    mainUid: secretUid,
    contactEmail: 'p@prober.example.com',
  });
  expect(r.status).toBe(201);
  expectNothingOfTheOwner(r.body);
  expect(r.body.warnings).toEqual([
    expect.objectContaining({
      ...PARTNER_WARNING,
      message: expect.stringContaining('your BD will check it'),
    }),
  ]);

  // The same answer to the same partner on GET, in their list and on an idempotent replay.
  expectNothingOfTheOwner((await http('GET', `/applications/${r.body.id}`, PROBER)).body);
  expectNothingOfTheOwner((await http('GET', '/applications', PROBER)).body);
  expectNothingOfTheOwner((await http('GET', `/applications/${r.body.id}/history`, PROBER)).body);

  // Staff see whose application it is.
  for (const staff of [BD, SUPPORT, ADMIN]) {
    const seen = await http('GET', `/applications/${r.body.id}`, staff);
    expect(seen.body.warnings.map((w: { message: string }) => w.message).join()).toContain(SECRET_NAME);
  }
});

test('an idempotent replay of register and of an action answers for the partner, not for staff', async () => {
  const key = { 'idempotency-key': 'probe-register-1' };
  const body = { companyName: 'Replay Prober Ltd', mainUid: secretUid, contactEmail: 'r@prober.example.com' };
  const first = await http('POST', '/applications', 'partner-replayer', body, key);
  const again = await http('POST', '/applications', 'partner-replayer', body, key);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body).toEqual(first.body);
  expectNothingOfTheOwner(again.body);

  const draft = await driveTo(http, 'partner-replayer-2', 'draft', BD, { companyName: 'Action Prober Ltd' });
  expectNothingOfTheOwner(draft.body);
  expect(draft.body.warnings).toEqual([]);
  const update = {
    expectedVersion: draft.version,
    payload: { associatedUids: [secretUid], businessType: 'reseller' },
  };
  const act = () =>
    http('POST', `/applications/${draft.id}/actions/update-application`, 'partner-replayer-2', update, {
      'idempotency-key': 'probe-update-1',
    });
  const acted = await act();
  const replayed = await act();
  expect(acted.status).toBe(200);
  expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  for (const r of [acted, replayed]) {
    expectNothingOfTheOwner(r.body);
    expect(r.body.warnings).toEqual([expect.objectContaining(PARTNER_WARNING)]);
  }
});

test('the business-type conflict (Q4) and a correct guess of the name tell the partner nothing more', async () => {
  const shared = uid();
  await http('POST', '/applications', 'partner-q4-owner', {
    companyName: 'Guarded Name Ltd',
    mainUid: shared,
    businessType: 'distributor',
    contactEmail: 'o@guarded.example.com',
  });
  // Same company name as the owner's: staff see a Q4 business-type finding; the partner the same neutral warning.
  const guess = await http('POST', '/applications', 'partner-guesser', {
    companyName: 'Guarded Name Ltd',
    mainUid: shared,
    businessType: 'reseller',
    contactEmail: 'g@guesser.example.com',
  });
  expect(JSON.stringify(guess.body.warnings)).not.toContain('distributor');
  expect(guess.body.warnings).toEqual([expect.objectContaining(PARTNER_WARNING)]);
  const staff = await http('GET', `/applications/${guess.body.id}`, BD);
  expect(staff.body.warnings).toEqual([
    expect.objectContaining({
      field: 'businessType',
      code: 'uid_business_type_differs',
      message: expect.stringContaining('distributor'),
    }),
  ]);

  // Same name and same business type (no finding against the owner's application): the partner
  // still hears the same warning, so a right guess and a wrong one look alike.
  const exact = await http('POST', '/applications', 'partner-guesser-2', {
    companyName: 'Guarded Name Ltd',
    mainUid: shared,
    businessType: 'distributor',
    contactEmail: 'g2@guesser.example.com',
  });
  expect(exact.body.warnings).toEqual([expect.objectContaining(PARTNER_WARNING)]);
  expect(exact.body.warnings[0].message).toBe(guess.body.warnings[0].message);
});

test("a UID on the same partner's own earlier application is theirs to see in full", async () => {
  const mine = uid();
  const first = await http('POST', '/applications', 'partner-two-apps', {
    companyName: 'Twice Applied Ltd',
    mainUid: mine,
    contactEmail: 't@twice.example.com',
  });
  const second = await http('POST', '/applications', 'partner-two-apps', {
    companyName: 'Twice Applied Trading Ltd',
    mainUid: mine,
    contactEmail: 't@twice.example.com',
  });
  expect(second.body.warnings.map((w: { message: string }) => w.message).join()).toContain(
    'Twice Applied Ltd',
  );
  expect(first.status).toBe(201);
});

test("errors never carry another application's data", async () => {
  const stale = await http('POST', `/applications/${secretId}/actions/update-application`, PROBER, {
    expectedVersion: 99,
    payload: { contactName: 'x y' },
  });
  expect(stale.status).toBe(404);
  expectNothingOfTheOwner(stale.body, { echoesItsId: true });
  const history = await http('GET', `/applications/${secretId}/history`, PROBER);
  expect(history.status).toBe(404);
  expectNothingOfTheOwner(history.body, { echoesItsId: true });
  const wrongState = await http('POST', `/applications/${secretId}/actions/submit`, PROBER, {
    expectedVersion: 1,
  });
  expect(wrongState.status).toBe(404);
  expectNothingOfTheOwner(wrongState.body, { echoesItsId: true });
  const search = await http('GET', `/applications?q=${encodeURIComponent('Secret')}`, PROBER);
  expect(search.body).toEqual([]);
});
