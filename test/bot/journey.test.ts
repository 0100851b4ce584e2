import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { Walk } from '../support/journey';
import { BD, BD2, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

let t: TestApp;
let stub: ConnectorStub;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

test('a partner and a BD go from "hi" to an active ACPN console entirely in chat', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-chat-1');
  const bd = new ChatUser(t.url, stub, BD);
  const bd2 = new ChatUser(t.url, stub, BD2);
  const mainUid = uid();

  // 2.1 steps 1-2: checklist, certification, registration with typed answers (and a wrong UID first).
  expect(textOf(await partner.say('hi'))).toContain('newIntlAuth');
  expect(textOf(await partner.say('yes'))).toContain('company name');
  expect(textOf(await partner.say('Hangzhou Chat Co., Ltd.'))).toContain('Main UID');
  expect(textOf(await partner.say('12345'))).toContain('exactly 16 digits');
  expect(textOf(await partner.say(mainUid))).toContain('e-mail');
  const registered = await partner.say('li@chat.example.com');
  expect(textOf(registered)).toContain('Registered');

  // A question in between is answered from the guide.
  const answer = textOf(await partner.say('What is ACPN?'));
  // People read the section's title, not its id tag (issue 13).
  expect(answer).toMatch(/Source: .*FAQ Q5: What is ACPN/);
  expect(answer).not.toContain('[faq-q5]');

  // 2.1 step 3: ask for the review from the card.
  const review = findButton(registered, (d) => d.action === 'request-qualification-review')!;
  expect(textOf(await partner.say(review.data, review.cardId))).toContain('qualification review');

  // The BD's queue shows it; they issue the invitation.
  const queue = await bd.say('queue');
  expect(textOf(queue)).toContain('Hangzhou Chat Co., Ltd.');
  const invite = findButton(queue, (d) => d.action === 'invite')!;
  const invited = textOf(await bd.say(invite.data, invite.cardId));
  const code = invited.match(/\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*/)![1];

  // 2.1 step 4: the partner redeems the code (a wrong one first).
  expect(textOf(await partner.say('start'))).toContain('invitation code');
  expect(textOf(await partner.say('ZZZZ-ZZZZ'))).toContain("doesn't match");
  const accepted = await partner.say(code.toLowerCase());
  expect(textOf(accepted)).toContain('Invitation accepted');

  // 2.2: confirm company information, then the form with one bad field, then fixed and submitted.
  const confirm = findButton(accepted, (d) => d.verb === 'application.confirmCompany')!;
  const form = await partner.say(confirm.data, confirm.cardId);
  const submitButton = findButton(form, (d) => d.verb === 'application.submitForm')!;
  const fields = {
    businessType: 'reseller',
    masterUid: mainUid,
    mainUid,
    associatedUids: '123',
    contactName: 'Li Wei',
    contactEmail: 'li@chat.example.com',
    contactPhone: '+86 571 1234 5678',
    country: 'China',
  };
  const rejectedForm = await partner.say({ ...submitButton.data, ...fields });
  const shown = textOf(rejectedForm);
  expect(shown).toContain('Associated UIDs');
  expect(shown).toContain('16-digit');
  expect(shown).toContain('Li Wei'); // what was typed is still there
  const retry = findButton(rejectedForm, (d) => d.verb === 'application.submitForm')!;
  const submitted = textOf(await partner.say({ ...retry.data, ...fields, associatedUids: uid() }));
  expect(submitted).toContain('within 3 working days');
  expect(textOf(await partner.say('start'))).toContain('wait for approval');

  // BD approves from the review card; a second BD pressing the same card is told who decided.
  const bdQueue = await bd.say('queue');
  const approve = findButton(bdQueue, (d) => d.action === 'approve')!;
  expect(textOf(await bd.say({ ...approve.data, comment: 'good interview' }, approve.cardId))).toContain(
    'approved',
  );
  const updates = stub.for(bd['conversationId']).filter((r) => r.method === 'PUT');
  expect(textOf(updates.map((u) => u.activity))).toContain(`Approved by ${BD}`);
  expect(textOf(await bd2.say(approve.data))).toMatch(new RegExp(`Already approved by ${BD}`));

  // Decision sheet: BD fills it; partner asks for a modification (empty first), BD corrects, partner confirms.
  const sheetQueue = await bd.say('queue');
  const sheet = findButton(sheetQueue, (d) => d.verb === 'bd.fillDecisionSheet')!;
  const sheetValues = {
    'basicInfo.contractEntity': 'Alibaba Cloud (Singapore) Pte. Ltd.',
    'basicInfo.partnerTier': 'Registered',
    'basicInfo.region': 'Mainland China',
    'basicInfo.effectiveDate': '2026-12-01',
    'commissionPolicy.commissionRate': '10%',
    'commissionPolicy.settlementCycle': 'monthly',
    'commissionPolicy.paymentTerms': '30 days',
  };
  expect(textOf(await bd.say({ ...sheet.data, 'basicInfo.region': '' }))).toContain('Please fill in');
  expect(textOf(await bd.say({ ...sheet.data, ...sheetValues }))).toContain('Decision sheet sent');
  const terms = await partner.say('start');
  expect(textOf(terms)).toContain('Commission Policy Information');
  const modify = findButton(terms, (d) => d.action === 'request-modification')!;
  expect(textOf(await partner.say({ ...modify.data, description: '' }))).toContain('describe the revision');
  expect(textOf(await partner.say('The commission rate agreed was 12%, not 10%.'))).toContain(
    'correction process',
  );
  const correction = await bd.say('queue');
  expect(textOf(correction)).toContain('12%, not 10%');
  const sheet2 = findButton(correction, (d) => d.verb === 'bd.fillDecisionSheet')!;
  await bd.say({ ...sheet2.data, ...sheetValues, 'commissionPolicy.commissionRate': '12%' });
  const terms2 = await partner.say('start');
  expect(textOf(terms2)).toContain('12%');
  const confirmTerms = findButton(terms2, (d) => d.action === 'confirm-terms')!;
  expect(textOf(await partner.say(confirmTerms.data))).toContain('Waiting for signing contract');

  // 2.4 and 2.5.
  const contractQueue = await bd.say('queue');
  const signed = findButton(contractQueue, (d) => d.action === 'record-contract-signed')!;
  await bd.say({ ...signed.data, contractId: 'C-77' });
  expect(textOf(await partner.say('status'))).toContain('successfully signed the contract');
  expect(textOf(await partner.say('start'))).toContain('normal');
  const activateQueue = await bd.say('queue');
  const activate = findButton(activateQueue, (d) => d.action === 'activate-acpn')!;
  await bd.say(activate.data);
  expect(textOf(await partner.say('start'))).toContain('Alibaba Cloud Partner Network > Console');
});

test('a tampered card changing the application id or version changes nothing', async () => {
  const intruder = new ChatUser(t.url, stub, 'partner-intruder');
  const victim = new ChatUser(t.url, stub, 'partner-victim');
  await victim.say('hi');
  await victim.say('yes');
  await victim.say('Victim Co');
  await victim.say(uid());
  const reg = await victim.say('v@victim.example.com');
  const button = findButton(reg, (d) => d.action === 'request-qualification-review')!;
  expect(textOf(await intruder.say(button.data))).toContain("can't find that application");
  expect(textOf(await victim.say({ ...button.data, version: 7 }))).toContain('nothing was changed');
  expect(textOf(await victim.say('status'))).toContain('Account registration');
});

test('the welcome says what the bot does and, for a returning partner, where they stand', async () => {
  const newcomer = textOf(await new ChatUser(t.url, stub, 'partner-newcomer').join());
  expect(newcomer).toContain('Welcome');
  expect(newcomer).toContain('Say **start** when you are ready');
  const returning = new ChatUser(t.url, stub, 'partner-returning');
  for (const line of ['hi', 'yes', 'Returning Co', uid(), 'r@returning.example.com'])
    await returning.say(line);
  const welcome = textOf(await returning.join());
  expect(welcome).toContain('Account registration');
  expect(welcome).toContain('Say **start** to continue');
  const bdWelcome = textOf(await new ChatUser(t.url, stub, BD, 'conv-bd-welcome').join());
  expect(bdWelcome).toContain('**queue**');
});

test('a partner who missed a change hears "since we last spoke" once; the profile lives in user state', async () => {
  const http = workflowHttp(t.url);
  const partner = new ChatUser(t.url, stub, 'partner-returning-later');
  const walk = await Walk.register(http, partner.userId, { companyName: 'Later Co' });
  await walk.toDraft();
  await walk.completeBasics();
  await walk.act('submit', partner.userId);
  expect(textOf(await partner.say('status'))).not.toContain('Since we last spoke');
  await walk.act('approve', BD);
  const after = textOf(await partner.say('status'));
  // What others changed, named as it happened (issue 13: not "moved on from <step>").
  expect(after).toContain(`Since we last spoke: Approved by ${BD} on`);
  expect(textOf(await partner.say('status'))).not.toContain('Since we last spoke');
  const stored = await t.app.store.db.selectFrom('bot_state').select('key').execute();
  expect(stored.map((r) => r.key)).toContain(`webchat/users/${partner.userId}/`);
});
