import { STATUSES, TRANSITIONS, canApply, type ActionName, type Status } from '../../src/workflow/machine';
import { driveTo, validPayload } from '../support/journey';
import { ADMIN, BD, SUPPORT, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

const ACTIONS = TRANSITIONS.filter((t) => t.action !== 'register');
let t: TestApp;
let http: ReturnType<typeof workflowHttp>;
let n = 0;
const partner = () => `partner-${++n}`;

beforeAll(async () => {
  t = await startTestApp();
  http = workflowHttp(t.url);
});
afterAll(() => t.stop());

describe('every action from every status', () => {
  const cases: [Status, ActionName, boolean][] = [];
  for (const s of STATUSES) for (const a of ACTIONS) cases.push([s, a.action, canApply(a.action, s)]);

  test.each(cases)('from %s, %s is allowed: %s', async (status, action, allowed) => {
    const p = partner();
    const app = await driveTo(http, p, status);
    const who = ACTIONS.find((x) => x.action === action)!.who;
    const r = await http('POST', `/applications/${app.id}/actions/${action}`, who === 'bd' ? BD : p, {
      expectedVersion: app.version,
      payload: validPayload(action, { invitationCode: app.invitationCode }),
    });
    if (allowed) {
      expect(r.status).toBe(200);
      expect(r.body.version).toBe(app.version + 1);
      expect(r.body.status).toBe(TRANSITIONS.find((x) => x.action === action)!.to);
    } else {
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('invalid_state');
      const after = await http('GET', `/applications/${app.id}`, p);
      expect(after.body.version).toBe(app.version);
      expect(after.body.status).toBe(status);
    }
  });
});

describe('every role for every action', () => {
  const roles = ['owner', 'other-partner', 'bd', 'support', 'admin'] as const;
  const cases: [ActionName, (typeof roles)[number], number][] = [];
  for (const a of ACTIONS) {
    for (const role of roles) {
      let expected: number;
      if (role === 'other-partner') expected = 404;
      else if (a.who === 'partner') expected = role === 'owner' ? 200 : 403;
      else expected = role === 'bd' || role === 'admin' ? 200 : 403;
      cases.push([a.action, role, expected]);
    }
  }

  test.each(cases)('%s by %s answers %i', async (action, role, expected) => {
    const owner = partner();
    const from = ACTIONS.find((x) => x.action === action)!.from[0] as Status;
    const app = await driveTo(http, owner, from);
    const actor = { owner, 'other-partner': partner(), bd: BD, support: SUPPORT, admin: ADMIN }[role];
    const r = await http('POST', `/applications/${app.id}/actions/${action}`, actor, {
      expectedVersion: app.version,
      payload: validPayload(action, { invitationCode: app.invitationCode }),
    });
    expect(r.status).toBe(expected);
    if (expected !== 200) {
      const history = await http('GET', `/applications/${app.id}/history`, BD);
      expect(history.body).toHaveLength(app.version);
    }
  });

  test('register is for partners only', async () => {
    for (const actor of [BD, SUPPORT, ADMIN]) {
      const r = await http('POST', '/applications', actor, {
        companyName: 'X',
        mainUid: '1234567890123456',
        contactEmail: 'x@example.com',
      });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
  });

  test('partners see only their own applications; BD and support see all', async () => {
    const a = partner();
    const b = partner();
    const appA = await driveTo(http, a, 'prospect');
    await driveTo(http, b, 'prospect');
    const listA = await http('GET', '/applications', a);
    expect(listA.body.map((x: any) => x.partnerUserId)).toEqual([a]);
    expect((await http('GET', `/applications/${appA.id}`, b)).status).toBe(404);
    expect((await http('GET', `/applications/${appA.id}/history`, b)).status).toBe(404);
    for (const staff of [BD, SUPPORT, ADMIN]) {
      expect((await http('GET', `/applications/${appA.id}`, staff)).status).toBe(200);
      const all = await http('GET', '/applications?status=prospect', staff);
      expect(all.body.map((x: any) => x.id)).toContain(appA.id);
    }
  });
});
