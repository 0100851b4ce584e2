import fs from 'node:fs';
import path from 'node:path';
import actionForms from '../../src/cards/actionForms.json';
import formFields from '../../src/cards/applicationFormFields.json';
import { DECISION_SHEET_GROUPS, entriesOf } from '../../src/workflow/decisionSheet';
import commands from '../../dialogs/helpers/commands.json';
import messages from '../../src/notify/messages.json';
import emails from '../../src/notify/emails.json';
import { Catalogue, lines, RESOURCES, trusted } from '../../src/i18n/catalogue';
import { LANGUAGES, languageOf } from '../../src/i18n/language';
import { DateFormatter } from '../../src/dates';
import { ACTIONS, STATUSES } from '../../src/workflow/machine';
import { BUSINESS_TYPES } from '../../src/workflow/schemas';

// The catalogue is complete in both languages, each id says the same things (placeholders),
// every id is used, and every id the code builds from data exists.

const ROOT = path.join(__dirname, '../..');

function leaves(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const en = leaves(RESOURCES.en);
const zh = leaves(RESOURCES['zh-CN']);

test('every id exists in both languages', () => {
  expect([...zh.keys()].filter((k) => !en.has(k))).toEqual([]);
  expect([...en.keys()].filter((k) => !zh.has(k))).toEqual([]);
});

test('each id has the same placeholders in both languages', () => {
  const differ = [...en]
    .filter(([k, text]) => placeholders(text).join() !== placeholders(zh.get(k) ?? '').join())
    .map(([k]) => k);
  expect(differ).toEqual([]);
});

test('the Chinese is written, not copied: no id is the English text unless it is a name or a code', () => {
  // Language names, the warning mark, layout-only ids and codes read the same in both.
  const SAME = new Set([
    'common.none',
    'language.english',
    'language.chinese',
    'application.warning',
    'faq.citation',
    'bd.queueLine',
    'cards.staff.historyWhen',
    'actions.accept-invitation.inputs.invitationCode.placeholder',
    'fields.contactPhone.placeholder',
    'decisionSheetFields.basicInfo.effectiveDate.placeholder',
    'devchat.personas.bd',
  ]);
  const copied = [...en].filter(([k, text]) => !SAME.has(k) && zh.get(k) === text).map(([k]) => k);
  expect(copied).toEqual([]);
  const empty = [...en, ...zh].filter(([k, text]) => text === '' && k !== 'common.sentenceGap');
  expect(empty).toEqual([]);
});

/** Ids the code builds from data (a status, an action, a field): each must exist. */
function derivedIds(): string[] {
  const ids: string[] = [];
  for (const s of STATUSES) {
    ids.push(
      `status.${s}.title`,
      `status.${s}.staff`,
      `status.${s}.guide`,
      `steps.${s}.partner`,
      `steps.${s}.bd`,
    );
  }
  for (const a of ACTIONS) {
    ids.push(`actions.${a}.label`, `actions.${a}.done`, `actions.${a}.outcome`, `actions.${a}.history`);
  }
  const forms = actionForms as Record<string, { inputs?: { id: string }[]; confirm?: boolean }>;
  for (const [a, form] of Object.entries(forms)) {
    for (const i of form.inputs ?? []) ids.push(`actions.${a}.inputs.${i.id}.label`);
    if (form.confirm) ids.push(`actions.${a}.confirm.text`, `actions.${a}.confirm.yes`, `actions.${a}.ask`);
  }
  for (const f of formFields.fields) ids.push(`fields.${f.id}.label`);
  ids.push('fields.companyName.label', 'fields.companyInfoConfirmed.label');
  for (const b of BUSINESS_TYPES) ids.push(`fields.businessType.choices.${b}`);
  for (const group of DECISION_SHEET_GROUPS) {
    for (const { id } of entriesOf(group)) {
      ids.push(`decisionSheetFields.${group}.${id}.label`, `decisionSheetFields.${group}.${id}.placeholder`);
    }
  }
  for (const [key, audiences] of Object.entries(messages)) {
    if (key === '$comment') continue;
    for (const audience of Object.keys(audiences)) ids.push(`notify.${key}.${audience}`);
  }
  for (const [group, prefix] of [
    [emails.events, 'email'],
    [emails.reminders, 'email.reminders'],
  ] as const) {
    for (const [key, recipients] of Object.entries(group)) {
      for (const r of Object.keys(recipients))
        ids.push(`${prefix}.${key}.${r}.subject`, `${prefix}.${key}.${r}.body`);
    }
  }
  for (const part of ['subject', 'body']) ids.push(`email.signin.${part}`);
  for (const f of ['partner', 'staff', 'signin']) ids.push(`email.footer.${f}`);
  for (const c of ['email', 'chat', 'both']) ids.push(`channels.choices.${c}`, `channels.current.${c}`);
  for (const role of ['partner', 'bd', 'admin', 'support']) ids.push(`help.${role}`);
  for (const c of Object.keys(commands)) ids.push(`help.menu.${c}`);
  for (const p of ['partner', 'bd', 'bd2', 'support']) ids.push(`devchat.personas.${p}`);
  return ids;
}

test('every id the code builds from data (statuses, actions, fields, notifications) exists', () => {
  expect(derivedIds().filter((k) => !en.has(k))).toEqual([]);
});

test('every id is used: named in the code or a template, or built from data', () => {
  const used = new Set(derivedIds());
  const files = ['src', 'dialogs', 'scripts'].flatMap((dir) =>
    (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => /\.(ts|json)$/.test(f) && !/i18n\/.*\.json$/.test(f))
      .map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8')),
  );
  for (const text of files) {
    for (const m of text.matchAll(/['"`]([a-zA-Z]+(?:\.[\w@-]+)+)['"`]/g)) used.add(m[1]);
    for (const m of text.matchAll(/\$t\(([\w.-]+)\)/g)) used.add(m[1]);
  }
  // Optional pieces looked up when present (placeholders of some inputs and fields).
  const optional = (k: string) => /^(actions\..+\.inputs\..+|fields\..+)\.placeholder$/.test(k);
  expect([...en.keys()].filter((k) => !used.has(k) && !optional(k))).toEqual([]);
});

describe('wording', () => {
  const catalogue = new Catalogue(new DateFormatter('Asia/Shanghai'));
  const en = catalogue.in('en');
  const zh = catalogue.in('zh-CN');

  test('a value someone typed is escaped where it is placed; our own markup is placed as it is', () => {
    const typed = '**Evil** [click](http://evil.example) $t(help.partner) {{company}}';
    const text = en.t('support.noMatch', { query: typed });
    expect(text).toContain('\\*\\*Evil\\*\\*');
    expect(text).toContain('\\[click\\]');
    expect(text).not.toContain('I guide you'); // no nesting inside a value
    expect(text).toContain('Try another part of the company name');
    expect(en.t('main.notSureLead', { text: 'x', where: trusted('**Step**') })).toContain('**Step**');
  });

  test('a typed value keeps its line breaks only when asked; plain() leaves values to the card binder', () => {
    const two = 'first line\nsecond line';
    expect(en.t('handover.relayed', { question: two, answer: lines(two) })).toBe(
      'Support answered your question "first line second line":\n\nfirst line  \nsecond line',
    );
    expect(en.plain('bd.outcome', { done: 'approved', actor: 'a*b', date: 'today' })).toBe(
      'approved by a*b on today',
    );
  });

  test('each language has its own words, dates and joins', () => {
    expect(zh.t('status.awaiting_contract.title')).toBe('等待签署合同');
    expect(en.date('2026-12-01T04:00:00Z')).toBe('1 Dec 2026');
    expect(zh.date('2026-12-01T04:00:00Z')).toBe('2026年12月1日');
    expect(en.sentences('A.', 'B.')).toBe('A. B.');
    expect(zh.sentences('甲。', '乙。')).toBe('甲。乙。');
    expect(zh.list(['甲', '乙'])).toBe('甲、乙');
    expect(zh.template('cards.basicInfo.signingProcess')).toBe(
      '签约流程：阿里云代理合作伙伴 · ${companyName}',
    );
  });

  test('zh* locales get Simplified Chinese, anything else English', () => {
    expect(['zh-CN', 'zh-cn', 'zh', 'zh-TW', 'zh_HK'].map(languageOf)).toEqual(Array(5).fill('zh-CN'));
    expect(['en-US', 'fr-FR', '', undefined, null, 'zhx'].map(languageOf)).toEqual(Array(6).fill('en'));
    expect(LANGUAGES).toEqual(['en', 'zh-CN']);
  });
});
