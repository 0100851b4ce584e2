import type { NameBook } from '../bot/peopleDirectory';
import type { Wording, WordKey } from '../i18n/catalogue';
import { DECISION_SHEET_GROUPS } from '../workflow/decisionSheet';
import type { HistoryEntry } from '../workflow/schemas';
import { fieldLabel } from './cardBuilder';
import { termValue, type DecisionSheet } from './termsText';

/**
 * One line of an application's history in people's words: who did what, with what they wrote
 * (a BD's comment or reason, the partner's modification, the contract id, the terms, the fields
 * saved). Plain text: the card binder escapes it where it is placed.
 */
export function historyLine(h: HistoryEntry, people: NameBook, w: Wording, viewer?: string): string {
  const who = people.label(h.actor, w, viewer);
  const key = `actions.${h.action}.history`;
  const did = w.has(key) ? w.plain(key as WordKey, { who }) : `${who}: ${h.action}`;
  const detail = detailOf(h, w);
  return detail ? w.plain('history.withDetail', { did, detail }) : did;
}

function detailOf(h: HistoryEntry, w: Wording): string | undefined {
  const p = h.payload as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  switch (h.action) {
    case 'approve':
      return text(p.comment) && w.plain('history.comment', { text: text(p.comment) });
    case 'reject':
    case 'decline': {
      const reason = text(p.reason) && w.plain('history.reason', { text: text(p.reason) });
      return p.final === true ? w.sentences(reason, w.plain('history.closedForGood')) : reason;
    }
    case 'request-modification':
      return text(p.description) && w.plain('history.modification', { text: text(p.description) });
    case 'record-contract-signed':
      return text(p.contractId) && w.plain('history.contract', { id: text(p.contractId) });
    case 'fill-decision-sheet':
      return termsLine(p as unknown as DecisionSheet, w);
    case 'update-application':
    case 'register': {
      const fields = Object.keys(p).filter((f) => f !== 'companyInfoConfirmed');
      return fields.length ? w.list(fields.map((f) => fieldLabel(f, w))) : undefined;
    }
    default:
      return undefined;
  }
}

/** A decision sheet in one line: "Effective date 1 Dec 2026, Commission / discount rate (%) 12%, …". */
export function termsLine(sheet: DecisionSheet, w: Wording): string {
  const parts: string[] = [];
  for (const group of DECISION_SHEET_GROUPS) {
    for (const [id, value] of Object.entries(sheet?.[group] ?? {})) {
      const key = `decisionSheetFields.${group}.${id}.label`;
      const label = w.has(key) ? w.plain(key) : id;
      parts.push(w.plain('history.term', { label, value: termValue(group, id, value, w) }));
    }
  }
  return w.list(parts);
}
