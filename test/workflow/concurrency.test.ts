import { describePostgres, tempPostgres, tempSqlite, type TestDatabase } from '../support/databases';
import { driveTo, validPayload } from '../support/journey';
import { BD, BD2, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

function suite(name: string, open: () => Promise<TestDatabase>, run: typeof describe) {
  run(name, () => {
    let db: TestDatabase;
    let t: TestApp;
    let http: ReturnType<typeof workflowHttp>;
    let n = 0;
    beforeAll(async () => {
      db = await open();
      t = await startTestApp({ db });
      http = workflowHttp(t.url);
    });
    afterAll(async () => {
      await t?.stop();
      await db?.drop();
    });

    test('50 concurrent approvals: one transition, the rest 409', async () => {
      const app = await driveTo(http, `race-${++n}`, 'submitted');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          http('POST', `/applications/${app.id}/actions/approve`, i % 2 ? BD : BD2, {
            expectedVersion: app.version,
            payload: { comment: `approval ${i}` },
          }),
        ),
      );
      const codes = results.map((r) => r.status);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(49);
      const history = await http('GET', `/applications/${app.id}/history`, BD);
      expect(history.body.filter((h: any) => h.action === 'approve')).toHaveLength(1);
      const events = await t.app.store.db
        .selectFrom('outbox')
        .select('type')
        .where('application_id', '=', app.id)
        .where('type', '=', 'approve')
        .execute();
      expect(events).toHaveLength(1);
    });

    test('the same Idempotency-Key replays the first answer and changes nothing', async () => {
      const app = await driveTo(http, `idem-${++n}`, 'submitted');
      const send = () =>
        http(
          'POST',
          `/applications/${app.id}/actions/approve`,
          BD,
          { expectedVersion: app.version, payload: validPayload('approve') },
          { 'idempotency-key': `approve-${app.id}` },
        );
      const first = await send();
      const second = await send();
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const history = await http('GET', `/applications/${app.id}/history`, BD);
      expect(history.body).toHaveLength(app.version + 1);
      const events = await t.app.store.db
        .selectFrom('outbox')
        .select('id')
        .where('application_id', '=', app.id)
        .execute();
      expect(events).toHaveLength(app.version + 1);
    });

    test('concurrent requests with one Idempotency-Key give one change and one answer', async () => {
      const partner = `idem-race-${++n}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          http(
            'POST',
            '/applications',
            partner,
            { companyName: 'Race Co', mainUid: '1234567890123456', contactEmail: 'r@race.co' },
            { 'idempotency-key': 'register-once' },
          ),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const mine = await http('GET', '/applications', partner);
      expect(mine.body).toHaveLength(1);
    });

    test('reusing a key for a different request is refused', async () => {
      const partner = `idem-reuse-${++n}`;
      const headers = { 'idempotency-key': 'k1' };
      const body = { companyName: 'Reuse Co', mainUid: '1234567890123456', contactEmail: 'r@reuse.co' };
      expect((await http('POST', '/applications', partner, body, headers)).status).toBe(201);
      const other = await http(
        'POST',
        '/applications',
        partner,
        { ...body, companyName: 'Other Co' },
        headers,
      );
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('idempotency_key_reused');
    });
  });
}

suite('concurrency on SQLite', async () => tempSqlite(), describe);
suite('concurrency on Postgres', tempPostgres, describePostgres);
