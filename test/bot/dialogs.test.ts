import { DialogTestClient } from 'botbuilder-testing';
import { ComponentDialog, DialogTurnStatus, type Dialog } from 'botbuilder-dialogs';
import { TurnContext, type Activity } from 'botbuilder';
import type { BotServices } from '../../dialogs/helpers/botServices';
import { TURN_USER } from '../../src/bot/userIdentity';
import { UPDATED_CARD } from '../../src/cards/applicationCards';
import { turnUserOf } from '../../src/bot/userIdentity';
import { VERBS, type CardData } from '../../src/cards/verbs';
import { HttpWorkflowClient } from '../../src/workflow/httpWorkflowClient';
import { AcpnDialog } from '../../dialogs/acpnDialog';
import { ApplicationDialog } from '../../dialogs/applicationDialog';
import { BdDialog } from '../../dialogs/bdDialog';
import { ContractDialog } from '../../dialogs/contractDialog';
import { DecisionSheetDialog } from '../../dialogs/decisionSheetDialog';
import { MainDialog } from '../../dialogs/mainDialog';
import { QualificationDialog } from '../../dialogs/qualificationDialog';
import { RegistrationDialog } from '../../dialogs/registrationDialog';
import { SupportDialog } from '../../dialogs/supportDialog';
import type { StepOptions } from '../../dialogs/stepDialog';
import { findButton, textOf } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { BD, BD2, SUPPORT, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// Each dialog on botbuilder-testing's DialogTestClient, with the real services: the
// workflow client talks HTTP to the real workflow API on SQLite.

let t: TestApp;
let services: BotServices;
let http: ReturnType<typeof workflowHttp>;
let partnerSeq = 0;
const newPartner = () => `partner-dlg-${++partnerSeq}`;

beforeAll(async () => {
  t = await startTestApp();
  services = t.app.bot.services;
  http = workflowHttp(`${t.url}`);
});
afterAll(async () => t.stop());

/** One conversation with one dialog, as `userId` on `channelId`; `say` returns every reply. */
class DialogChat {
  readonly client: DialogTestClient;
  /** The card the last turn asked the channel to show in place of the pressed one (Teams' invoke answer). */
  updatedCard?: unknown;
  /** Activities the last turn updated in place (Web Chat's cards replaced where they were). */
  updates: Partial<Activity>[] = [];

  constructor(dialog: Dialog, userId: string, options?: StepOptions, channelId = 'webchat') {
    this.client = new DialogTestClient(channelId, dialog, options, [
      {
        onTurn: async (ctx, next) => {
          ctx.activity.from = { id: userId, name: userId };
          ctx.turnState.set(TURN_USER, turnUserOf(ctx.activity, services.roles));
          // As the bot does on every turn: where (and under which name) the person can be reached.
          await t.app.bot.references.save(userId, TurnContext.getConversationReference(ctx.activity));
          // A card replaced in place is what the person now sees: counted with the replies.
          ctx.onUpdateActivity(async (_c, activity, next) => {
            this.updates.push(activity);
            return next();
          });
          await next();
          this.updatedCard = ctx.turnState.get(UPDATED_CARD);
        },
      },
    ]);
  }

  async say(input: string | Record<string, unknown>): Promise<Partial<Activity>[]> {
    this.updates = [];
    const first = await this.client.sendActivity(
      typeof input === 'string' ? input : { type: 'message', value: input },
    );
    const replies = first ? [first] : [];
    for (let r = this.client.getNextReply(); r; r = this.client.getNextReply()) replies.push(r);
    return [...this.updates, ...replies];
  }

  get status(): DialogTurnStatus {
    return this.client.dialogTurnResult.status;
  }
}

/** A card button pressed: MainDialog hands it to the step's handler (its card table). */
async function press(userId: string, card: CardData, channelId = 'webchat') {
  const chat = new DialogChat(new MainDialog(services), userId, undefined, channelId);
  const replies = await chat.say(card);
  return { replies, text: textOf(replies), chat };
}

/** A parent holding the first dialog and the siblings it hands over to. */
class Host extends ComponentDialog {
  constructor(first: Dialog, siblings: Dialog[]) {
    super(`host-${first.id}`);
    this.addDialog(first);
    for (const d of siblings) this.addDialog(d);
    this.initialDialogId = first.id;
  }
}
const hosted = (first: Dialog, ...siblings: Dialog[]): Dialog => new Host(first, siblings);

async function appOf(userId: string, id: string) {
  const r = await http('GET', `/applications/${id}`, userId);
  return r.body;
}

async function historyOf(userId: string, id: string): Promise<{ action: string }[]> {
  const r = await http('GET', `/applications/${id}/history`, userId);
  return r.body.items ?? r.body;
}

const act = (action: string, app: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
  verb: VERBS.act,
  action,
  applicationId: app.id,
  version: app.version,
  ...extra,
});

describe('RegistrationDialog', () => {
  test('without enterprise certification it explains Q1 and registers nothing', async () => {
    const user = newPartner();
    const chat = new DialogChat(new RegistrationDialog(services), user);
    expect(textOf(await chat.say('hi'))).toContain('newIntlAuth');
    const reply = textOf(await chat.say('no'));
    expect(reply).toContain('Go to Verify');
    expect(chat.status).toBe(DialogTurnStatus.complete);
    expect((await http('GET', '/applications', user)).body).toHaveLength(0);
  });

  test('a wrong UID and a wrong e-mail are asked again with what to fix; then it registers', async () => {
    const user = newPartner();
    const main = uid();
    const chat = new DialogChat(new RegistrationDialog(services), user);
    await chat.say('hi');
    expect(textOf(await chat.say('maybe'))).toContain('yes or no');
    expect(textOf(await chat.say('yes'))).toContain('company name');
    expect(textOf(await chat.say('Ningbo Dialog Co.'))).toContain('Main UID');
    expect(textOf(await chat.say('1234-5678'))).toContain('exactly 16 digits');
    expect(textOf(await chat.say(main))).toContain('e-mail');
    expect(textOf(await chat.say('ningbo at example'))).toContain('does not look like an e-mail');
    const done = await chat.say('ops@ningbo.example.com');
    expect(textOf(done)).toContain('Registered');
    expect(findButton(done, (d) => d.action === 'request-qualification-review')).toBeDefined();
    const [app] = (await http('GET', '/applications', user)).body;
    expect(app).toMatchObject({ mainUid: main, companyName: 'Ningbo Dialog Co.', status: 'prospect' });
  });
});

describe('QualificationDialog', () => {
  test('a prospect is shown the review button; pressing it asks the BD', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'prospect');
    const shown = await new DialogChat(new QualificationDialog(services), user).say('start');
    const button = findButton(shown, (d) => d.action === 'request-qualification-review')!;
    expect(button.data).toMatchObject({ applicationId: app.id, version: app.version });
    const { text } = await press(user, button.data);
    expect(text).toContain('asked for the qualification review');
    expect((await appOf(user, app.id)).status).toBe('qualification_review');
  });

  test('a malformed code, then a wrong one, are asked again; the right one goes on to the application', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'invited');
    // Accepting hands over to the application step, a sibling dialog: host both, as MainDialog does.
    const chat = new DialogChat(
      hosted(new QualificationDialog(services), new ApplicationDialog(services)),
      user,
    );
    expect(textOf(await chat.say('start'))).toContain('invitation code');
    expect(textOf(await chat.say('!!'))).toContain('looks like ABCD-EFGH');
    expect(textOf(await chat.say('ZZZZ-ZZZZ'))).toContain("doesn't match");
    expect((await appOf(user, app.id)).status).toBe('invited');
    const accepted = await chat.say(app.invitationCode!.toLowerCase());
    expect(textOf(accepted)).toContain('Invitation accepted');
    expect(findButton(accepted, (d) => d.verb === VERBS.confirmCompany)).toBeDefined();
    expect((await appOf(user, app.id)).status).toBe('draft');
  });
});

describe('ApplicationDialog', () => {
  test("a UID on another company's application is saved with a Q2 warning; only the BD sees whose", async () => {
    await driveTo(http, newPartner(), 'draft', BD, { companyName: 'First Owner Co' });
    const owner = (await http('GET', '/applications?q=First%20Owner', BD)).body[0];
    const user = newPartner();
    const app = await driveTo(http, user, 'draft', BD, { companyName: 'Second Claimant Co' });
    const form = await new DialogChat(new ApplicationDialog(services), user).say('start');
    const save = findButton(form, (d) => d.verb === VERBS.saveDraft)!;
    const saved = (await press(user, { ...save.data, associatedUids: owner.mainUid })).text;
    expect(saved).toContain('Draft saved');
    expect(saved).toContain('already on another application; your BD will check it');
    expect(saved).toContain('FAQ Q2');
    expect(saved).not.toContain('First Owner Co');
    const reshown = textOf(await new DialogChat(new ApplicationDialog(services), user).say('start'));
    expect(reshown).toContain('already on another application');
    expect(reshown).not.toContain('First Owner Co');
    const bdView = (await appOf(BD, app.id)).warnings.map((w: { message: string }) => w.message).join();
    expect(bdView).toContain('First Owner Co');
  });

  test('a bad field keeps everything typed, saves the valid fields and names what to fix', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'draft');
    const form = await new DialogChat(new ApplicationDialog(services), user).say('start');
    const save = findButton(form, (d) => d.verb === VERBS.saveDraft)!;
    const { replies, text } = await press(user, {
      ...save.data,
      contactName: 'Chen Jing',
      masterUid: '42',
    });
    expect(text).toContain('Chen Jing'); // still on the form
    expect(text).toContain('42');
    expect(text).toMatch(/Company Master UID.*16-digit/);
    expect(findButton(replies, (d) => d.verb === VERBS.submitForm)).toBeDefined();
    const stored = await appOf(user, app.id);
    expect(stored.contactName).toBe('Chen Jing');
    expect(stored.masterUid).toBe(app.body.masterUid);
  });

  test('the same form submitted twice submits once and the second press says the card is out of date', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'draft');
    const form = await new DialogChat(new ApplicationDialog(services), user).say('start');
    const submit = findButton(form, (d) => d.verb === VERBS.submitForm)!;
    const first = await press(user, submit.data);
    expect(first.text).toContain('within 3 working days');
    const second = await press(user, submit.data);
    // Said to the person who did it: "you", never their id (issue 13).
    expect(second.text).toContain('Already submitted by you');
    expect(second.text).toContain('Application under review');
    const submits = (await historyOf(user, app.id)).filter((h) => h.action === 'submit');
    expect(submits).toHaveLength(1);
  });

  test('under review it asks to wait and offers withdraw; withdrawing re-opens the form', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'submitted');
    const shown = await new DialogChat(new ApplicationDialog(services), user).say('start');
    expect(textOf(shown)).toContain('wait for approval');
    const withdraw = findButton(shown, (d) => d.action === 'withdraw')!;
    const { replies, text } = await press(user, withdraw.data);
    expect(text).toContain('Application withdrawn');
    expect(findButton(replies, (d) => d.verb === VERBS.submitForm)).toBeDefined();
    expect((await appOf(user, app.id)).status).toBe('draft');
  });
});

describe('DecisionSheetDialog', () => {
  test('shows Basic information and Commission Policy Information with confirm and modify', async () => {
    const user = newPartner();
    await driveTo(http, user, 'terms_pending');
    const shown = await new DialogChat(new DecisionSheetDialog(services), user).say('start');
    expect(textOf(shown)).toContain('Commission Policy Information');
    expect(findButton(shown, (d) => d.action === 'confirm-terms')).toBeDefined();
    expect(findButton(shown, (d) => d.action === 'request-modification')).toBeDefined();
  });

  test('an empty or meaningless modification description is asked for again; a real one is sent', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'terms_pending');
    const { text, chat } = await press(user, act('request-modification', app, { description: '   ' }));
    expect(text).toContain('describe the revision');
    expect(textOf(await chat.say('asdf'))).toContain('needs a real description');
    expect((await appOf(user, app.id)).status).toBe('terms_pending');
    expect(textOf(await chat.say('The settlement cycle should be quarterly, not monthly.'))).toContain(
      'correction process',
    );
    const stored = await appOf(user, app.id);
    expect(stored.status).toBe('terms_correction');
    expect(stored.note).toContain('quarterly');
  });

  test('confirming twice confirms once and the second press hears it was already done', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'terms_pending');
    const card = act('confirm-terms', app);
    expect((await press(user, card)).text).toContain('Waiting for signing contract');
    const again = await press(user, card);
    expect(again.text).toContain('Already confirmed by you');
    expect((await historyOf(user, app.id)).filter((h) => h.action === 'confirm-terms')).toHaveLength(1);
  });
});

describe('ContractDialog and AcpnDialog', () => {
  test('awaiting the contract, signed (ACPN error is normal), then the console link', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'awaiting_contract');
    expect(textOf(await new DialogChat(new ContractDialog(services), user).say('start'))).toContain(
      'agree it with your BD',
    );
    await http('POST', `/applications/${app.id}/actions/record-contract-signed`, BD, {
      expectedVersion: app.version,
      payload: {},
    });
    expect(textOf(await new DialogChat(new ContractDialog(services), user).say('start'))).toContain(
      'that is normal',
    );
    expect(textOf(await new DialogChat(new AcpnDialog(services), user).say('start'))).toContain(
      'Partner Network > Console',
    );
  });
});

describe('the router and a step speak in one message', () => {
  test.each([
    ['submitted', 'Application under review'],
    ['awaiting_contract', 'agree it with your BD'],
    ['qualification_review', 'Qualification review and onboarding interview'],
  ] as const)('"start" at %s is one activity, the status said once', async (status, expected) => {
    const user = newPartner();
    await driveTo(http, user, status);
    const replies = await new DialogChat(new MainDialog(services), user).say('start');
    expect(replies).toHaveLength(1);
    const text = textOf(replies);
    expect(text).toContain(expected);
    // The status title appears once, not in a message of the router's and again in the step's.
    const said = String(replies[0].text);
    const title = said.match(/\*\*([^*]+)\*\* \(guide/)![1];
    expect(said.split(`**${title}**`)).toHaveLength(2);
  });
});

describe('BdDialog', () => {
  test('the queue holds only what waits on a BD, oldest deadline first', async () => {
    const older = await driveTo(http, newPartner(), 'submitted', BD, { companyName: 'Queue Older Co' });
    await driveTo(http, newPartner(), 'draft', BD, { companyName: 'Queue Drafting Co' });
    const newer = await driveTo(http, newPartner(), 'submitted', BD, { companyName: 'Queue Newer Co' });
    const text = textOf(await new DialogChat(new BdDialog(services), BD).say('queue'));
    expect(text).not.toContain('Queue Drafting Co');
    expect(text.indexOf('Queue Older Co')).toBeGreaterThan(-1);
    expect(text.indexOf('Queue Older Co')).toBeLessThan(text.indexOf('Queue Newer Co'));
    expect(older.id).not.toBe(newer.id);
  });

  test('a reject without a reason asks for one and changes nothing', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'submitted');
    const { text } = await press(BD, act('reject', app, { reason: ' ' }));
    expect(text).toContain('reason');
    expect((await appOf(user, app.id)).status).toBe('submitted');
  });

  test('a second press, or a second BD, hears who approved and nothing moves twice', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'submitted');
    const card = act('approve', app);
    const first = await press(BD, card);
    expect(first.text).toContain('approved');
    expect(JSON.stringify(first.chat.updatedCard)).toContain(`Approved by ${BD}`);
    for (const who of [BD, BD2]) {
      const again = await press(who, card);
      expect(again.text).toContain(who === BD ? 'Already approved by you' : `Already approved by ${BD}`);
    }
    expect((await historyOf(BD, app.id)).filter((h) => h.action === 'approve')).toHaveLength(1);
  });

  test('Teams cards use Action.Execute with refresh for the BDs; Web Chat cards use Action.Submit', async () => {
    await driveTo(http, newPartner(), 'submitted', BD, { companyName: 'Channel Cards Co' });
    const teams = await new DialogChat(new BdDialog(services), BD, undefined, 'msteams').say('queue');
    const web = await new DialogChat(new BdDialog(services), BD, undefined, 'webchat').say('queue');
    const cardOf = (replies: Partial<Activity>[]) =>
      replies.flatMap((r) => r.attachments ?? []).map((a) => a.content as any)[0];
    const teamsCard = cardOf(teams);
    expect(JSON.stringify(teamsCard.actions)).toContain('Action.Execute');
    expect(JSON.stringify(teamsCard.actions)).not.toContain('Action.Submit');
    expect(teamsCard.refresh.userIds).toEqual(expect.arrayContaining([BD, BD2]));
    const webCard = cardOf(web);
    expect(webCard.refresh).toBeUndefined();
    expect(JSON.stringify(webCard.actions)).not.toContain('Action.Execute');
    expect(JSON.stringify(webCard.actions)).toContain('Action.Submit');
  });

  test("a refresh shows the card as it stands: buttons while it waits, none once it's decided", async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'submitted');
    const refresh = { verb: VERBS.refresh, applicationId: app.id, version: app.version };
    const before = await press(BD, refresh, 'msteams');
    expect(before.replies).toHaveLength(0); // refresh says nothing in chat
    expect(JSON.stringify(before.chat.updatedCard)).toContain('"approve"');
    await press(BD2, act('reject', app, { reason: 'No certification yet' }));
    const after = await press(BD, refresh, 'msteams');
    const card = JSON.stringify(after.chat.updatedCard);
    expect(card).toContain('No certification yet');
    expect(card).not.toContain('"approve"');
  });
});

describe('SupportDialog', () => {
  test('looks up by part of the company name with status and history; an unknown name says so', async () => {
    const app = await driveTo(http, newPartner(), 'submitted', BD, { companyName: 'Lookup Findme Trading' });
    const chat = new DialogChat(new SupportDialog(services), SUPPORT);
    expect(textOf(await chat.say('lookup'))).toContain('Which application');
    expect(textOf(await chat.say('x'))).toContain('at least two characters');
    const found = textOf(await chat.say('findme'));
    expect(found).toContain('Lookup Findme Trading');
    // History in people's words, not "v5 submit by <id>" (issue 13).
    expect(found).toContain('submitted the application');
    expect(found).toContain(app.id);
    const none = textOf(
      await new DialogChat(new SupportDialog(services), SUPPORT, { query: 'zzqx' }).say(''),
    );
    expect(none).toContain('No application matches');
  });
});

describe('MainDialog', () => {
  test('help shows each role only what it may do', async () => {
    const help = async (user: string) =>
      textOf(await new DialogChat(new MainDialog(services), user).say('help'));
    const partner = await help(newPartner());
    expect(partner).toContain('**status**');
    expect(partner).not.toContain('queue');
    expect(await help(BD)).toContain('**queue**');
    const support = await help(SUPPORT);
    expect(support).toContain('look up');
    expect(support).not.toContain('**queue**');
  });

  test('a partner pressing a BD button is told only a BD can do that', async () => {
    const user = newPartner();
    const app = await driveTo(http, user, 'submitted');
    const text = textOf(await new DialogChat(new MainDialog(services), user).say(act('approve', app)));
    expect(text).toContain('Only a BD can do that');
    expect((await appOf(user, app.id)).status).toBe('submitted');
  });

  test('text typed while the form waits is not lost in silence: where they are, and the form again', async () => {
    const user = newPartner();
    await driveTo(http, user, 'draft');
    const replies = await new DialogChat(new MainDialog(services), user).say('Shenzhen Bright Star 2026');
    const text = textOf(replies);
    expect(text).toContain("I'm not sure what you mean");
    expect(findButton(replies, (d) => d.verb === VERBS.submitForm)).toBeDefined();
  });

  test('a question in the middle of a prompt is answered, then the prompt comes back', async () => {
    const chat = new DialogChat(new MainDialog(services), newPartner());
    await chat.say('hi');
    await chat.say('yes'); // now asked for the company name
    const replies = textOf(await chat.say('What is a Main UID?'));
    expect(replies).toMatch(/Source: /);
    expect(replies).toContain('company name');
    expect(textOf(await chat.say('cancel'))).toContain('Cancelled');
  });

  test('with the workflow service down, every step says so and that nothing was changed', async () => {
    const down: BotServices = {
      ...services,
      // Port 9 (discard) on loopback: nothing listens there, so connections are refused.
      workflow: new HttpWorkflowClient({
        baseUrl: 'http://127.0.0.1:9/workflow/v1',
        apiToken: 'x',
        timeoutMs: 500,
      }),
    };
    const user = newPartner();
    expect(textOf(await new DialogChat(new MainDialog(down), user).say('start'))).toContain(
      "couldn't reach the onboarding service",
    );
    const pressed = textOf(
      await new DialogChat(new MainDialog(down), BD).say(act('approve', { id: 'x', version: 1 })),
    );
    expect(pressed).toContain('nothing was changed');
  });

  test('a registration the service could not take keeps the answers and goes through on retry', async () => {
    let reachable = false;
    const flaky: BotServices = {
      ...services,
      workflow: new HttpWorkflowClient({
        baseUrl: () => (reachable ? `${t.url}/workflow/v1` : 'http://127.0.0.1:9/workflow/v1'),
        apiToken: 'test-workflow-token',
        timeoutMs: 2000,
      }),
    };
    const user = newPartner();
    const main = uid();
    const chat = new DialogChat(new RegistrationDialog(flaky), user);
    for (const line of ['hi', 'yes', 'Flaky Network Co', main]) await chat.say(line);
    const failed = textOf(await chat.say('f@flaky.example.com'));
    expect(failed).toContain("couldn't reach the onboarding service");
    expect(failed).toContain('Your answers are kept');
    expect(textOf(await chat.say('ok'))).toContain('**retry**');
    reachable = true;
    expect(textOf(await chat.say('retry'))).toContain('Registered');
    const [app] = (await http('GET', '/applications', user)).body;
    expect(app).toMatchObject({
      companyName: 'Flaky Network Co',
      mainUid: main,
      contactEmail: 'f@flaky.example.com',
    });
  });
});

test('asking the bot who it is gets what it can do, not an FAQ about real-name accounts', async () => {
  for (const q of ['What is your name?', 'who are you', '你是谁？']) {
    const text = textOf(await new DialogChat(new MainDialog(services), newPartner()).say(q));
    expect([q, text]).toEqual([q, expect.stringContaining('I guide you through onboarding')]);
    expect(text).not.toContain('faq-q2');
  }
});
