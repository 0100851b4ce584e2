import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { openStore } from '../../src/db/database';
import { faqTables } from '../../src/db/migrations/002_faq';
import { createFaqService } from '../../src/faq/createFaqService';
import { FaqLog } from '../../src/faq/faqLog';
import { realKnowledge } from './helpers';

/** A store holding only the FAQ tables, so these tests do not depend on the other migrations. */
async function faqOnlyDb(): Promise<Kysely<object>> {
  const db = new Kysely<object>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ '002_faq': faqTables('sqlite') }) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return db;
}

describe('FaqLog', () => {
  let db: Kysely<object>;
  let now: Date;
  let log: FaqLog;

  beforeEach(async () => {
    db = await faqOnlyDb();
    now = new Date('2025-11-03T08:00:00Z');
    log = new FaqLog(db, () => now);
  });
  afterEach(() => db.destroy());

  it('records feedback and lists it newest first, filtered', async () => {
    await log.recordFeedback({
      question: 'How do I register?',
      entryId: 'guide-2.1-step1',
      helpful: true,
      userId: 'u1',
    });
    now = new Date('2025-11-03T09:00:00Z');
    await log.recordFeedback({
      question: 'What is ACPN?',
      entryId: 'faq-q5',
      helpful: false,
      comment: 'The manual link is missing',
      channel: 'msteams',
    });
    const all = await log.listFeedback();
    expect(all.map((f) => [f.entryId, f.helpful, f.createdAt])).toEqual([
      ['faq-q5', false, '2025-11-03T09:00:00.000Z'],
      ['guide-2.1-step1', true, '2025-11-03T08:00:00.000Z'],
    ]);
    expect(all[0]).toMatchObject({ comment: 'The manual link is missing', channel: 'msteams', userId: null });
    expect((await log.listFeedback({ helpful: false })).map((f) => f.entryId)).toEqual(['faq-q5']);
    expect((await log.listFeedback({ since: '2025-11-03T08:30:00Z' })).length).toBe(1);
  });

  it('summarises feedback per entry, least helpful first', async () => {
    for (const helpful of [true, false, false])
      await log.recordFeedback({ question: 'q', entryId: 'faq-q5', helpful });
    for (const helpful of [true, true])
      await log.recordFeedback({ question: 'q', entryId: 'faq-q1', helpful });
    expect(await log.feedbackSummary()).toEqual([
      { entryId: 'faq-q5', helpful: 1, notHelpful: 2 },
      { entryId: 'faq-q1', helpful: 2, notHelpful: 0 },
    ]);
  });

  it('keeps unanswered questions until support resolves them', async () => {
    const a = await log.recordUnanswered({ question: 'How much is ECS?', userId: 'u1', confidence: 0.123 });
    const b = await log.recordUnanswered({
      question: 'ACPN network?',
      didYouMean: ['faq-q5', 'guide-2.5-acpn'],
    });
    expect((await log.listUnanswered()).map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect((await log.listUnanswered()).find((u) => u.id === b.id)?.didYouMean).toEqual([
      'faq-q5',
      'guide-2.5-acpn',
    ]);
    expect((await log.listUnanswered()).find((u) => u.id === a.id)?.confidence).toBe(0.12);

    expect(
      await log.resolveUnanswered(a.id, { resolvedBy: 'support-1', resolution: 'Answered in chat' }),
    ).toBe(true);
    expect(await log.resolveUnanswered(a.id, { resolvedBy: 'support-2' })).toBe(false);
    expect(await log.resolveUnanswered('no-such-id', { resolvedBy: 'support-2' })).toBe(false);
    expect((await log.listUnanswered()).map((u) => u.id)).toEqual([b.id]);
    const resolved = (await log.listUnanswered({ includeResolved: true })).find((u) => u.id === a.id);
    expect(resolved).toMatchObject({
      resolvedBy: 'support-1',
      resolution: 'Answered in chat',
      resolvedAt: now.toISOString(),
    });
  });

  it('bounds what one message can store', async () => {
    const r = await log.recordUnanswered({ question: 'x'.repeat(10_000) });
    expect(r.question.length).toBe(2000);
  });

  it('is fed by the answerer: an abstained question is stored with who asked', async () => {
    const faq = await createFaqService({ knowledge: realKnowledge(), db });
    await faq.answer('How do I join the AWS Partner Network?', { askedBy: 'user-7', channel: 'webchat' });
    await faq.answer('How do I register an Alibaba Cloud account?', { askedBy: 'user-7' });
    const open = await log.listUnanswered();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      question: 'How do I join the AWS Partner Network?',
      userId: 'user-7',
      channel: 'webchat',
    });
    await faq.recordFeedback({
      question: 'How do I register an Alibaba Cloud account?',
      entryId: 'guide-2.1-step1',
      helpful: true,
    });
    expect(await log.listFeedback()).toHaveLength(1);
  });
});

describe('migration 002_faq', () => {
  it('is registered with the store and runs with the others', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const log = new FaqLog(store.db);
      await log.recordFeedback({ question: 'q', helpful: true });
      expect(await log.listFeedback()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
