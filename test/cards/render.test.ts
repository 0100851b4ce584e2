/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { ApplicationCards } from '../../src/cards/applicationCards';
import { CardBuilder, type RenderContext } from '../../src/cards/cardBuilder';
import { DateFormatter } from '../../src/dates';
import { Catalogue } from '../../src/i18n/catalogue';
import { LANGUAGES } from '../../src/i18n/language';
import { RoleDirectory } from '../../src/roles';
import { STATUSES, type Status } from '../../src/workflow/machine';
import type { ApplicationView, HistoryEntry } from '../../src/workflow/schemas';
import { renderAsWebChat } from '../support/webChatCards';

// Every card the bot sends, rendered as Web Chat renders it (parse, validate, render with the
// adaptivecards package Web Chat ships), for Web Chat (Action.Submit) and Teams
// (Action.Execute with refresh). A validation failure is an empty bubble for the reader.

const builder = new CardBuilder();
const cards = new ApplicationCards(builder, new RoleDirectory({ bd: ['bd-1'], support: [], admin: [] }));
const catalogue = new Catalogue(new DateFormatter());
// Each channel in each language: the Chinese wording must render as well as the English.
const CHANNELS: (RenderContext & { language: string })[] = LANGUAGES.flatMap((language) => [
  { channelId: 'webchat', words: catalogue.in(language), language },
  { channelId: 'msteams', refreshUserIds: ['bd-1'], words: catalogue.in(language), language },
]);

function app(status: Status): ApplicationView {
  return {
    id: 'app-1',
    status,
    version: 7,
    partnerUserId: 'p-1',
    bdUserId: 'bd-1',
    companyName: 'Render **Test** Co., Ltd.',
    mainUid: '5123456789012345',
    masterUid: '5123456789012345',
    associatedUids: ['5123456789012346'],
    businessType: 'reseller',
    contactName: 'Li Wei',
    contactEmail: 'li.wei@example.com',
    contactPhone: '+86 571 1234 5678',
    country: 'China',
    companyInfoConfirmed: status !== 'draft',
    decisionSheet: ['terms_pending', 'terms_correction', 'awaiting_contract'].includes(status)
      ? {
          basicInfo: { contractEntity: 'Alibaba Cloud (Singapore) Pte. Ltd.' },
          commissionPolicy: { commissionRate: '12%' },
        }
      : null,
    note:
      status === 'rejected'
        ? 'Certification missing'
        : status === 'terms_correction'
          ? 'Quarterly, not monthly'
          : null,
    statusSince: '2026-12-01T02:00:00.000Z',
    dueDate: status === 'submitted' ? '2026-12-04T15:59:59.999Z' : null,
    overdue: false,
    warnings: [{ field: 'masterUid', message: 'the Company Master UID takes part only if listed' }],
    createdAt: '2026-11-30T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
  } as ApplicationView;
}

const history: HistoryEntry[] = [
  {
    version: 1,
    action: 'register',
    from: null,
    to: 'prospect',
    actor: 'p-1',
    actorRole: 'partner',
    payload: {},
    occurredAt: '2026-11-30T02:00:00.000Z',
  },
];

type Make = (r: RenderContext) => { content?: unknown };
const every: [string, Make][] = [
  ...STATUSES.flatMap((s): [string, Make][] => [
    [
      `staff card, ${s}, with buttons and history`,
      (r) => cards.staff(app(s), r, { withButtons: true, history }),
    ],
    [
      `staff card, ${s}, decided`,
      (r) => cards.staff(app(s), r, { withButtons: false, outcome: 'Approved by bd-1 on 1 Dec 2026' }),
    ],
    [`BD card, ${s}`, (r) => cards.bd(app(s), r)],
  ]),
  ['terms card', (r) => cards.terms(app('terms_pending'), r)],
  [
    'review request card',
    (r) =>
      cards.reviewRequest(app('prospect'), r, { heading: 'Registered', hint: 'Next: ask for the review.' }),
  ],
  ['company confirmation card', (r) => cards.companyConfirmation(app('draft'), r)],
  ['under review card', (r) => cards.underReview(app('submitted'), r)],
  ['basic information form', (r) => builder.basicInfoForm(app('draft'), {}, {}, r)],
  [
    'basic information form with typed values and errors',
    (r) =>
      builder.basicInfoForm(
        app('draft'),
        { mainUid: '12' },
        { mainUid: 'Main UID: 16 digits' },
        r,
        'Please fix',
      ),
  ],
  ['decision sheet form', (r) => builder.decisionSheetForm(app('qualified'), r)],
  ['corrected decision sheet form', (r) => builder.decisionSheetForm(app('terms_correction'), r)],
  [
    'feedback card',
    () => builder.small('Was this helpful?', [{ label: 'Helpful', data: { verb: 'faq.feedback' } }]),
  ],
  [
    'hand-over card for support',
    (r) =>
      builder.handoverQuestion(
        {
          id: 'h-1',
          number: 12,
          question: 'Can I **pay** later?',
          asker: 'Wang Fang',
          company: 'Render **Test** Co., Ltd.',
          step: 'Submitted',
          applicationId: 'app-1',
          askedAt: '2026-12-01T02:00:00.000Z',
        },
        r.words,
      ),
  ],
  [
    'hand-over card, taken and then answered',
    (r) =>
      builder.handoverQuestion(
        {
          id: 'h-1',
          number: 12,
          question: 'Can I pay later?',
          asker: 'Wang Fang',
          askedAt: '2026-12-01T02:00:00.000Z',
          claimedBy: 'Sam Lee',
        },
        r.words,
        'Answered by Sam Lee on 1 Dec 2026',
      ),
  ],
  [
    'corrected terms card (what changed)',
    (r) =>
      cards.terms(app('terms_pending'), r, {
        basicInfo: { contractEntity: 'Alibaba Cloud (Singapore) Pte. Ltd.' },
        commissionPolicy: { commissionRate: 10 },
      }),
  ],
  [
    'partner summary (read back, or a card once acted on)',
    (r) => cards.partnerSummary(app('awaiting_contract'), r, { outcome: 'Confirmed by you on 1 Dec 2026' }),
  ],
  [
    'rejected card, apply again',
    (r) => cards.rejected({ ...app('rejected'), rejectedFrom: 'submitted', closed: false }, r),
  ],
  [
    'declined card, ask for the review again',
    (r) => cards.rejected({ ...app('rejected'), rejectedFrom: 'qualification_review', closed: false }, r),
  ],
  [
    'rejected card, closed for good',
    (r) => cards.rejected({ ...app('rejected'), rejectedFrom: 'submitted', closed: true }, r),
  ],
  ...(['submit', 'withdraw', 'confirm-terms', 'activate-acpn'] as const).map((a): [string, Make] => [
    `confirmation card: ${a}`,
    (r) => cards.confirmation(app(a === 'confirm-terms' ? 'terms_pending' : 'draft'), a, r),
  ]),
  [
    'decision sheet form with typed values and problems',
    (r) =>
      builder.decisionSheetForm(
        app('qualified'),
        r,
        { 'basicInfo.effectiveDate': 'next monday', 'commissionPolicy.commissionRate': 'twelve' },
        {
          'basicInfo.effectiveDate': 'Effective date: must be a real date',
          'commissionPolicy.commissionRate': 'Commission: must be a percentage',
        },
        'Please fix',
      ),
  ],
  [
    'list card (support desk)',
    () =>
      builder.list(
        'Open tickets (1)',
        [{ text: '**#1** Wang Fang: "x"', buttons: [{ label: 'Take it', data: { verb: 'support.claim' } }] }],
        'None',
      ),
  ],
  ['empty list card', () => builder.list('Open tickets (0)', [], 'No open tickets.')],
  ['note card (a pressed small card)', () => builder.note('Asked support (ticket #3)')],
];

describe.each(CHANNELS)('every card renders in Web Chat ($channelId, $language)', (render) => {
  test.each(every)('%s', (_name, make) => {
    const { errors, element } = renderAsWebChat(make(render).content);
    expect(errors).toEqual([]);
    expect(element).toBeDefined();
  });
});

test('a required input without an error message is caught (what made the hand-over card an empty bubble)', () => {
  const broken = {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'Input.Text', id: 'answer', label: 'Your answer', isRequired: true }],
  };
  expect(renderAsWebChat(broken).errors).toEqual([
    expect.stringContaining('Required inputs should have an error message'),
  ]);
});
