import { driveTo, fullFields } from '../support/journey';
import { BD, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

let t: TestApp;
let http: ReturnType<typeof workflowHttp>;
let n = 0;
const partner = () => `bad-input-partner-${++n}`;

beforeAll(async () => {
  t = await startTestApp({ env: { MAX_BODY_BYTES: '4096' } });
  http = workflowHttp(t.url);
});
afterAll(() => t.stop());

/** Nothing about the application changed: same version, same history length. */
async function unchanged(id: string, version: number) {
  const app = await http('GET', `/applications/${id}`, BD);
  expect(app.body.version).toBe(version);
  const history = await http('GET', `/applications/${id}/history`, BD);
  expect(history.body).toHaveLength(version);
}

function expectError(r: { status: number; body: any }, status: number, code?: string) {
  expect(r.status).toBe(status);
  expect(typeof r.body.error.code).toBe('string');
  expect(typeof r.body.error.message).toBe('string');
  if (code) expect(r.body.error.code).toBe(code);
}

describe('authentication', () => {
  test('missing or wrong token is 401', async () => {
    const noToken = workflowHttp(t.url, '');
    expectError(await noToken('GET', '/applications', 'p'), 401, 'unauthorized');
    const wrong = workflowHttp(t.url, 'not-the-token');
    expectError(await wrong('GET', '/applications', 'p'), 401, 'unauthorized');
    expectError(await wrong('POST', '/applications', 'p', { companyName: 'x' }), 401);
  });

  test('missing X-Acting-User is 401', async () => {
    expectError(await http('GET', '/applications', undefined), 401, 'unauthorized');
  });

  test('the OpenAPI document is public', async () => {
    const res = await fetch(`${t.url}/workflow/v1/openapi.json`);
    expect(res.status).toBe(200);
  });
});

describe('malformed requests', () => {
  test('malformed JSON is 400 and changes nothing', async () => {
    const app = await driveTo(http, partner(), 'prospect');
    const r = await http(
      'POST',
      `/applications/${app.id}/actions/request-qualification-review`,
      app.partner,
      '{"expectedVersion": 1',
    );
    expectError(r, 400, 'malformed_json');
    await unchanged(app.id, app.version);
  });

  test('unknown fields are 400 naming the field', async () => {
    const app = await driveTo(http, partner(), 'prospect');
    const top = await http(
      'POST',
      `/applications/${app.id}/actions/request-qualification-review`,
      app.partner,
      {
        expectedVersion: 1,
        sneaky: true,
      },
    );
    expectError(top, 400);
    expect(top.body.error.message).toContain('sneaky');
    const reg = await http('POST', '/applications', partner(), {
      companyName: 'A',
      mainUid: uid(),
      contactEmail: 'a@b.co',
      role: 'admin',
    });
    expectError(reg, 400);
    expect(reg.body.error.message).toContain('role');
    await unchanged(app.id, app.version);
  });

  test('wrong types are 400 naming the field', async () => {
    const app = await driveTo(http, partner(), 'prospect');
    const r = await http(
      'POST',
      `/applications/${app.id}/actions/request-qualification-review`,
      app.partner,
      {
        expectedVersion: '1',
      },
    );
    expectError(r, 400);
    expect(r.body.error.message).toContain('expectedVersion');
    const missing = await http(
      'POST',
      `/applications/${app.id}/actions/request-qualification-review`,
      app.partner,
      {},
    );
    expect(missing.body.error.message).toContain('expectedVersion');
    await unchanged(app.id, app.version);
  });

  test('oversized body is 413 and changes nothing', async () => {
    const app = await driveTo(http, partner(), 'draft');
    const r = await http('POST', `/applications/${app.id}/actions/update-application`, app.partner, {
      expectedVersion: app.version,
      payload: { contactName: 'x'.repeat(10_000) },
    });
    expectError(r, 413, 'payload_too_large');
    await unchanged(app.id, app.version);
  });

  test('unknown application and unknown action are 404', async () => {
    expectError(await http('GET', '/applications/does-not-exist', BD), 404, 'not_found');
    const app = await driveTo(http, partner(), 'prospect');
    expectError(
      await http('POST', `/applications/${app.id}/actions/teleport`, app.partner, { expectedVersion: 1 }),
      404,
      'not_found',
    );
    expectError(
      await http('POST', `/applications/nope/actions/submit`, app.partner, { expectedVersion: 1 }),
      404,
      'not_found',
    );
    expectError(await http('GET', '/nowhere', BD), 404);
  });

  test('unknown status filter is 400', async () => {
    const r = await http('GET', '/applications?status=flying', BD);
    expectError(r, 400);
    expect(r.body.error.message).toContain('status');
  });
});

describe('versions and states', () => {
  test('a stale version is 409 and changes nothing', async () => {
    const app = await driveTo(http, partner(), 'qualification_review');
    const r = await http('POST', `/applications/${app.id}/actions/invite`, BD, {
      expectedVersion: app.version - 1,
    });
    expectError(r, 409, 'version_conflict');
    expect(r.body.error.details.currentVersion).toBe(app.version);
    await unchanged(app.id, app.version);
  });

  test('an action not allowed now is 422 listing what is allowed', async () => {
    const app = await driveTo(http, partner(), 'prospect');
    const r = await http('POST', `/applications/${app.id}/actions/submit`, app.partner, {
      expectedVersion: app.version,
    });
    expectError(r, 422, 'invalid_state');
    expect(r.body.error.details.allowedActions).toEqual(['request-qualification-review']);
  });
});

describe('application fields (guide 2.2 and FAQ Q2-Q4)', () => {
  test('a UID that is not 16 digits is refused naming the field', async () => {
    const r = await http('POST', '/applications', partner(), {
      companyName: 'Acme',
      mainUid: '12345',
      contactEmail: 'a@acme.com',
    });
    expectError(r, 400);
    expect(r.body.error.message).toMatch(/payload\.mainUid: must be a 16-digit/);
  });

  test('a bad e-mail and a bad business type are refused', async () => {
    const app = await driveTo(http, partner(), 'draft');
    const r = await http('POST', `/applications/${app.id}/actions/update-application`, app.partner, {
      expectedVersion: app.version,
      payload: { contactEmail: 'not-an-email', businessType: 'wholesaler' },
    });
    expectError(r, 400);
    expect(r.body.error.message).toContain('payload.contactEmail');
    expect(r.body.error.message).toContain('payload.businessType');
    await unchanged(app.id, app.version);
  });

  test('the Main UID cannot also be an associated UID (Q2)', async () => {
    const app = await driveTo(http, partner(), 'draft');
    const r = await http('POST', `/applications/${app.id}/actions/update-application`, app.partner, {
      expectedVersion: app.version,
      payload: { associatedUids: [app.body.mainUid] },
    });
    expectError(r, 400);
    expect(r.body.error.message).toContain('Q2');
  });

  test('submit needs every required field and the confirmed company information', async () => {
    const p = partner();
    const reg = await http('POST', '/applications', p, {
      companyName: 'Acme',
      mainUid: uid(),
      contactEmail: 'a@acme.com',
    });
    let v = reg.body.version;
    const step = async (action: string, actor: string, payload = {}) => {
      const r = await http('POST', `/applications/${reg.body.id}/actions/${action}`, actor, {
        expectedVersion: v,
        payload,
      });
      if (r.status === 200) v = r.body.version;
      return r;
    };
    await step('request-qualification-review', p);
    const inv = await step('invite', BD);
    await step('accept-invitation', p, { invitationCode: inv.body.invitationCode });
    const early = await step('submit', p);
    expectError(early, 400, 'incomplete_application');
    expect(early.body.error.message).toContain('businessType');
    expect(early.body.error.message).toContain('contactPhone');
    const { companyInfoConfirmed: _c, ...rest } = fullFields();
    await step('update-application', p, { ...rest, mainUid: reg.body.mainUid });
    const unconfirmed = await step('submit', p);
    expectError(unconfirmed, 400, 'incomplete_application');
    expect(unconfirmed.body.error.message).toContain('companyInfoConfirmed');
    await step('update-application', p, { companyInfoConfirmed: true });
    const ok = await step('submit', p);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('submitted');
  });

  test('Master UID not listed is flagged (Q3); a UID claimed by another enterprise is flagged (Q2)', async () => {
    const first = await driveTo(http, partner(), 'draft');
    const second = await driveTo(http, partner(), 'draft');
    const master = uid();
    const r = await http('POST', `/applications/${second.id}/actions/update-application`, second.partner, {
      expectedVersion: second.version,
      payload: {
        masterUid: master,
        companyName: 'Other Enterprise Ltd',
        associatedUids: [first.body.mainUid],
      },
    });
    expect(r.status).toBe(200);
    const messages = r.body.warnings.map((w: any) => w.message).join('\n');
    expect(messages).toContain('FAQ Q3');
    expect(messages).toContain('FAQ Q2');
  });

  test('an empty or token modification description is refused', async () => {
    const app = await driveTo(http, partner(), 'terms_pending');
    for (const description of ['', '   ', 'modify', 'aaaaaaaaaaaa', 'fix it']) {
      const r = await http('POST', `/applications/${app.id}/actions/request-modification`, app.partner, {
        expectedVersion: app.version,
        payload: { description },
      });
      expectError(r, 400);
      expect(r.body.error.message).toContain('payload.description');
    }
    const zh = await http('POST', `/applications/${app.id}/actions/request-modification`, app.partner, {
      expectedVersion: app.version,
      payload: { description: '结算周期应为季度而不是月度' },
    });
    expect(zh.status).toBe(200);
    expect(zh.body.note).toBe('结算周期应为季度而不是月度');
  });

  test('reject needs a reason', async () => {
    const app = await driveTo(http, partner(), 'submitted');
    const r = await http('POST', `/applications/${app.id}/actions/reject`, BD, {
      expectedVersion: app.version,
      payload: {},
    });
    expectError(r, 400);
    expect(r.body.error.message).toContain('payload.reason');
  });
});

describe('invitation codes', () => {
  test('a wrong code is refused; the right one works once', async () => {
    const app = await driveTo(http, partner(), 'invited');
    const wrong = await http('POST', `/applications/${app.id}/actions/accept-invitation`, app.partner, {
      expectedVersion: app.version,
      payload: { invitationCode: 'AAAA-AAAA' },
    });
    expectError(wrong, 400, 'invalid_invitation_code');
    const ok = await http('POST', `/applications/${app.id}/actions/accept-invitation`, app.partner, {
      expectedVersion: app.version,
      payload: { invitationCode: app.invitationCode!.toLowerCase().replace('-', ' ') },
    });
    expect(ok.status).toBe(200);
    const again = await http('POST', `/applications/${app.id}/actions/accept-invitation`, app.partner, {
      expectedVersion: ok.body.version,
      payload: { invitationCode: app.invitationCode },
    });
    expectError(again, 422);
    const history = await http('GET', `/applications/${app.id}/history`, BD);
    expect(JSON.stringify(history.body)).not.toContain(app.invitationCode);
  });
});
