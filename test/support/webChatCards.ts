// The package's lib/ is ES modules without "type": "module"; its dist/ bundle is the same code as UMD.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/**
 * An Adaptive Card as Web Chat handles it (botframework-webchat's useParseAdaptiveCardJSON
 * and renderAdaptiveCard, on the adaptivecards package it ships): parse errors, then the
 * validation that turns a card into an empty bubble ("Required inputs should have an error
 * message"), then render. Needs a DOM: run in jest's jsdom environment.
 */
export function renderAsWebChat(content: unknown): { errors: string[]; element?: unknown } {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(content as never, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) errors.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) errors.push(`validate: ${e.message}`);
  if (errors.length) return { errors };
  try {
    const element = card.render();
    return element ? { errors, element } : { errors: ['rendered as empty element'] };
  } catch (err) {
    return { errors: [`render: ${(err as Error).message}`] };
  }
}
