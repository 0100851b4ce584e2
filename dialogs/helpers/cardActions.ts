import type { DialogContext, DialogTurnResult, TurnContext } from '../../src/bot/framework';
import actionForms from '../../src/cards/actionForms.json';
import { VERBS, type CardData } from '../../src/cards/verbs';
import type { TurnUser } from '../../src/bot/userIdentity';

/** One card press, as a handler sees it. */
export interface CardTurn {
  /** MainDialog's inner context: a handler that needs more turns begins a dialog on it. */
  dc: DialogContext;
  ctx: TurnContext;
  user: TurnUser;
  card: CardData;
  /** The activity id of the pressed card (Web Chat), so it can be updated in place. */
  cardActivityId?: string;
}

/** Handles a press; returns the dialog's result when it began one, else nothing (the turn is complete). */
export type CardHandler = (turn: CardTurn) => Promise<DialogTurnResult | void>;

/** Which handler a card press goes to: keyed by verb, and by workflow action for VERBS.act. */
export type CardTable = Record<string, CardHandler>;

export function cardKey(card: Pick<CardData, 'verb' | 'action'>): string {
  return card.verb === VERBS.act ? actionKey(String(card.action)) : card.verb;
}

export function actionKey(action: string): string {
  return `${VERBS.act}:${action}`;
}

/** Merges the step dialogs' tables; a key claimed twice is a programming error, caught at start-up. */
export function mergeTables(tables: CardTable[]): CardTable {
  const out: CardTable = {};
  for (const table of tables) {
    for (const [key, handler] of Object.entries(table)) {
      if (out[key]) throw new Error(`card verb ${key} has two handlers`);
      out[key] = handler;
    }
  }
  return out;
}

interface FormInput {
  id: string;
  required?: boolean;
  kind?: 'text' | 'toggle';
}
const forms = actionForms as Record<string, { inputs?: FormInput[] }>;

/**
 * The action's payload from the card's inputs that actionForms.json declares for it: trimmed
 * text, a toggle as true or false (left out when off), empty optional inputs left out, and the
 * id of the first required one left empty.
 */
export function payloadFrom(
  action: string,
  card: CardData,
): { payload: Record<string, string | boolean>; missing?: string } {
  const payload: Record<string, string | boolean> = {};
  for (const input of forms[action]?.inputs ?? []) {
    const raw = card[input.id];
    if (input.kind === 'toggle') {
      if (raw === true || raw === 'true') payload[input.id] = true;
      continue;
    }
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value) payload[input.id] = value;
    else if (input.required) return { payload, missing: input.id };
  }
  return { payload };
}
