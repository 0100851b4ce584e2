import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { BD, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// The decision sheet's typed entries are checked where they are typed (the BD's card) and in the
// workflow's payload schema: "next monday" is not an effective date, "twelve" not a commission.

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp();
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

const good = {
  basicInfo: {
    contractEntity: 'Alibaba Cloud (Singapore) Pte. Ltd.',
    partnerTier: 'Registered',
    region: 'CN',
    effectiveDate: '2026-12-01',
  },
  commissionPolicy: {
    commissionRate: '12%',
    settlementCurrency: 'cny',
    settlementCycle: 'monthly',
    paymentTerms: '30 days',
  },
};

test('the API refuses a date that is not one, a rate that is not a percentage and an unknown currency, naming each', async () => {
  const app = await driveTo(http, 'partner-sheet-1', 'qualified');
  const r = await http('POST', `/applications/${app.id}/actions/fill-decision-sheet`, BD, {
    expectedVersion: app.version,
    payload: {
      basicInfo: { ...good.basicInfo, effectiveDate: 'next monday' },
      commissionPolicy: { ...good.commissionPolicy, commissionRate: 'twelve', settlementCurrency: 'XYZ' },
    },
  });
  expect(r.status).toBe(400);
  const fields = r.body.error.details.fields.map((f: { field: string }) => f.field).sort();
  expect(fields).toEqual([
    'payload.basicInfo.effectiveDate',
    'payload.commissionPolicy.commissionRate',
    'payload.commissionPolicy.settlementCurrency',
  ]);
  expect(r.body.error.message).toContain('payload.basicInfo.effectiveDate: must be a real date');
  for (const date of ['2026-02-30', '2026-13-01', '01/12/2026']) {
    const bad = await http('POST', `/applications/${app.id}/actions/fill-decision-sheet`, BD, {
      expectedVersion: app.version,
      payload: { ...good, basicInfo: { ...good.basicInfo, effectiveDate: date } },
    });
    expect([date, bad.status]).toEqual([date, 400]);
  }
  const ok = await http('POST', `/applications/${app.id}/actions/fill-decision-sheet`, BD, {
    expectedVersion: app.version,
    payload: good,
  });
  expect(ok.status).toBe(200);
  // Kept as their kinds: the rate a number, the currency as a code.
  expect(ok.body.decisionSheet.commissionPolicy).toMatchObject({
    commissionRate: 12,
    settlementCurrency: 'CNY',
  });
});

test("the BD card says what to fix in people's words, keeps what was typed, and sends nothing to the partner", async () => {
  const app = await driveTo(http, 'partner-sheet-2', 'qualified');
  const bd = new ChatUser(t.url, stub, BD, 'conv-sheet-bd');
  const queue = await bd.say('queue');
  const sheet = findButton(queue, (d) => d.verb === 'bd.fillDecisionSheet' && d.applicationId === app.id)!;
  const typed = {
    'basicInfo.contractEntity': 'Alibaba Cloud (Singapore) Pte. Ltd.',
    'basicInfo.partnerTier': 'Registered',
    'basicInfo.region': 'Mainland China',
    'basicInfo.effectiveDate': 'next monday',
    'commissionPolicy.commissionRate': 'twelve',
    'commissionPolicy.settlementCycle': 'monthly',
    'commissionPolicy.paymentTerms': '30 days',
  };
  const said = textOf(await bd.say({ ...sheet.data, ...typed }));
  expect(said).toContain('Please fix these entries');
  expect(said).toContain('Effective date: must be a real date');
  expect(said).toContain('Commission / discount rate (%): must be a percentage from 0 to 100');
  expect(said).not.toContain('payload.');
  expect(said).toContain('next monday'); // the form comes back with what was typed
  expect((await http('GET', `/applications/${app.id}`, BD)).body.status).toBe('qualified');
});
