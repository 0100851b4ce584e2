import MarkdownIt from 'markdown-it';
import { escapeFor, md } from '../../src/escape';
import { ChatUser, ConnectorStub, findButton } from '../support/connectorStub';
import { Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { BD, SUPPORT, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// Text people type stays text: a company name (and every other typed value) written to turn
// into bold, a live link, a tracking pixel and HTML goes through a whole journey, and
// everything the partner, the BD and support are sent is rendered as Web Chat renders it
// (markdown-it with HTML, linkify and typographer on). None of it may become markup.

const EVIL =
  '**Evil** [click me](http://evil.example/x) <img src="http://127.0.0.1:9/pixel.png"> www.evil.example _Ltd_';
const evil = (what: string) =>
  `${what} **bold** [link](http://evil.example/${what}) <img src=x> evil.example/${what}`;

/** Web Chat's own Markdown settings (botframework-webchat's renderMarkdown). */
const webChat = new MarkdownIt({ html: true, linkify: true, typographer: true, breaks: false });

/** Every piece of text in an activity that a channel renders as Markdown. */
function renderedTexts(activity: any): string[] {
  const out: string[] = [];
  if (typeof activity.text === 'string') out.push(activity.text);
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
    if (node.type === 'FactSet') for (const f of node.facts ?? []) out.push(f.title ?? '', f.value ?? '');
    for (const v of Object.values(node)) walk(v);
  };
  for (const a of activity.attachments ?? []) walk(a.content);
  return out;
}

/** Fails when a rendered text holds an element that came from typed text. */
function expectNoTypedMarkup(texts: string[]): void {
  for (const text of texts) {
    const html = webChat.render(text);
    expect([text, html]).not.toEqual([
      text,
      expect.stringMatching(/<a [^>]*evil|<img|<em>Ltd<\/em>|<strong>(Evil|bold)<\/strong>/),
    ]);
  }
}

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({ env: { NOTIFY_POLL_MS: '20' } });
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

describe('escapeFor', () => {
  test.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['[x](http://e.example)', '\\[x\\](http\\://e\\.example)'],
    ['<img src=x>', '\\<img src=x\\>'],
    ['Hangzhou Example Technology Co., Ltd.', 'Hangzhou Example Technology Co., Ltd.'],
    ['li.wei@example.com', 'li\\.wei\\@example\\.com'],
    ['{{DATE(2026-01-01T00:00:00Z, SHORT)}}', '\\{\\{DATE(2026-01-01T00:00:00Z, SHORT)\\}\\}'],
    ['# title\nsecond line', '\\# title second line'],
  ])('markdown: %j becomes %j', (typed, placed) => expect(md(typed)).toBe(placed));

  test('each line of a multi-line value is escaped, list marks included; HTML is entity-encoded', () => {
    expect(md('- one\n2. two', { multiline: true })).toBe('\\- one  \n2\\. two');
    expect(escapeFor('html', '<b>"x" & y</b>\nz', { multiline: true })).toBe(
      '&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;<br>z',
    );
    expect(escapeFor('text', 'a\u202Eb\u0007c')).toBe('abc');
  });

  test('what markdown-it makes of escaped text is the typed text, with no element', () => {
    for (const typed of [EVIL, evil('x'), 'a | b\n--|--\nc | d', '1) first', '> quoted', '`code`']) {
      const html = webChat.render(md(typed, { multiline: true }));
      expect(html).not.toMatch(/<(a|img|em|strong|code|table|blockquote|ol|ul|h1)\b/);
    }
  });
});

test('a mischievous company name and typed values stay text for the partner, the BD and support, the whole journey', async () => {
  const partner = new ChatUser(t.url, stub, 'partner-evil-1');
  const bd = new ChatUser(t.url, stub, BD, 'conv-evil-bd');
  const support = new ChatUser(t.url, stub, SUPPORT, 'conv-evil-support');
  for (const p of [partner, bd, support]) await p.say('help');

  const walk = await Walk.register(http, partner.userId, { companyName: EVIL, mainUid: uid() });
  const settled = () => outboxDrained(t.app.store.db, walk.id);
  await walk.act('request-qualification-review', partner.userId);
  await settled();
  await walk.act('invite', BD);
  await walk.act('accept-invitation', partner.userId, { invitationCode: walk.app.invitationCode });
  await walk.completeBasics({ contactName: evil('contact'), country: '_Ltd_ <img src=x>' });
  await settled();
  // The partner sees their own form and status; the BD their queue and the review card.
  await partner.say('start');
  await walk.act('submit', partner.userId);
  await settled();
  await bd.say('queue');
  await walk.act('approve', BD, { comment: evil('comment') });
  await walk.act('fill-decision-sheet', BD, {
    basicInfo: {
      contractEntity: evil('entity'),
      partnerTier: 'Registered',
      region: 'CN',
      effectiveDate: '2026-12-01',
    },
    commissionPolicy: { commissionRate: '12%', settlementCycle: evil('cycle'), paymentTerms: '30 days' },
  });
  await settled();
  await walk.act('request-modification', partner.userId, {
    description: evil('the settlement cycle is wrong'),
  });
  await settled();
  await walk.act('fill-decision-sheet', BD, {
    basicInfo: {
      contractEntity: 'Alibaba Cloud (Singapore) Pte. Ltd.',
      partnerTier: 'Registered',
      region: 'CN',
      effectiveDate: '2026-12-01',
    },
    commissionPolicy: { commissionRate: '12%', settlementCycle: 'quarterly', paymentTerms: '30 days' },
  });
  await walk.act('confirm-terms', partner.userId);
  await walk.act('record-contract-signed', BD, { contractId: evil('C-1') });
  await walk.act('activate-acpn', BD);
  await settled();
  await partner.say('status');
  await support.say('Evil');
  // Read-backs and the history on staff cards hold what everyone typed (comments, the
  // modification, the contract id, the terms, the contact).
  await partner.say('my application');
  await partner.say('my terms');
  await bd.say(`lookup ${EVIL.slice(0, 8)}`);

  // A question the guide cannot answer, handed to support, answered, relayed.
  const asked = await partner.say(evil('Can I pay the partner fee in bitcoin'));
  const askSupport = findButton(asked, (d) => d.verb === 'support.handover');
  expect(askSupport).toBeDefined();
  await partner.say(askSupport!.data);
  const handed = stub.for(support.conversationId).at(-1)!.activity;
  const answer = findButton([handed], (d) => d.verb === 'support.answer');
  // Support's desk lists the question, and the ticket card is updated in place once answered.
  await support.say('tickets');
  await support.say({ ...answer!.data, answer: evil('answer') });
  // A second question answered by typing: the answer reaches the partner as text.
  const asked2 = await partner.say(evil('Can I pay the partner fee in gold'));
  await partner.say(findButton(asked2, (d) => d.verb === 'support.handover')!.data);
  await support.say(`reply ${evil('typed answer')}`);

  // Sent and updated in place (the PUTs: cards replaced by their summaries, tickets closed).
  const sent = [partner, bd, support].flatMap((p) => stub.for(p.conversationId).map((r) => r.activity));
  const texts = sent.flatMap(renderedTexts);
  // The journey did reach everyone with the typed values in it.
  for (const marker of [
    'Evil',
    'contact',
    'entity',
    'settlement cycle is wrong',
    'bitcoin',
    'answer',
    'comment',
    'C-1',
    'gold',
    'typed answer',
  ])
    expect([marker, texts.some((x) => x.includes(marker))]).toEqual([marker, true]);
  expectNoTypedMarkup(texts);
});
