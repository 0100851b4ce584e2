import { ConversationState, TurnContext, TestAdapter } from 'botbuilder';
import { openStore, type Store } from '../../src/db/database';
import { ETagConflictError, SqlStorage } from '../../src/bot/sqlStorage';
import { BotStateStore } from '../../src/bot/botStateStore';
import { ChatUser, ConnectorStub, textOf } from '../support/connectorStub';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { startTestApp } from '../support/testApp';
import { createAdapter, ReusingAuthentication } from '../../src/bot/botAdapter';
import { ConversationReferenceStore } from '../../src/bot/conversationReferenceStore';
import { ClaimsIdentity } from 'botframework-connector';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { Catalogue } from '../../src/i18n/catalogue';
import { DateFormatter } from '../../src/dates';

describe('SqlStorage', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = tempSqlite();
    store = await openStore(db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  test('a write with a stale eTag fails and leaves the stored item alone', async () => {
    const storage = new SqlStorage(store);
    await storage.write({ k1: { n: 1 } });
    const first = (await storage.read(['k1'])).k1;
    expect(first).toMatchObject({ n: 1, eTag: expect.any(String) });
    await storage.write({ k1: { ...first, n: 2 } });
    await expect(storage.write({ k1: { ...first, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['k1'])).k1).toMatchObject({ n: 2 });
    await storage.write({ k1: { n: 4, eTag: '*' } });
    expect((await storage.read(['k1'])).k1.n).toBe(4);
    await storage.delete(['k1']);
    expect(await storage.read(['k1'])).toEqual({});
  });

  test('two turns that read the same conversation state cannot both save', async () => {
    const storage = new SqlStorage(store);
    const adapter = new TestAdapter();
    const activity = TestAdapter.createConversation('conv-etag');
    const turn = () =>
      new TurnContext(adapter, { ...activity, type: 'message', text: 'x', channelId: 'test' } as never);
    const first = turn();
    const initial = new ConversationState(storage);
    await initial.createProperty<number>('count').set(first, 0);
    await initial.saveChanges(first, true);
    const stateA = new BotStateStore(storage);
    const stateB = new BotStateStore(storage);
    const a = turn();
    const b = turn();
    // Both read the state botbuilder's ConversationState wrote (same storage key).
    expect(await stateA.property<number>('conversation', 'count').get(a, 9)).toBe(0);
    expect(await stateB.property<number>('conversation', 'count').get(b, 9)).toBe(0);
    await stateA.property<number>('conversation', 'count').set(a, 1);
    await stateB.property<number>('conversation', 'count').set(b, 2);
    const conflicts: string[] = [];
    await stateA.save(a, (scope) => conflicts.push(`A:${scope}`));
    await stateB.save(b, (scope) => conflicts.push(`B:${scope}`));
    expect(conflicts).toEqual(['B:conversation']);
    expect(
      (await storage.read([`test/conversations/${activity.conversation.id}/`]))[
        `test/conversations/${activity.conversation.id}/`
      ],
    ).toMatchObject({ count: 1 });
  });

  test('conversation and user state are read in one query and an unchanged scope is not written', async () => {
    const storage = new SqlStorage(store);
    const reads: string[][] = [];
    const writes: string[] = [];
    const spy = Object.assign(Object.create(storage), {
      readRaw: (keys: string[]) => (reads.push(keys), storage.readRaw(keys)),
      writeOne: (key: string, data: string, eTag?: string) => (
        writes.push(key),
        storage.writeOne(key, data, eTag)
      ),
    }) as SqlStorage;
    const state = new BotStateStore(spy);
    const adapter = new TestAdapter();
    const activity = {
      ...TestAdapter.createConversation('conv-one-read'),
      type: 'message',
      channelId: 'test',
    };
    const ctx = new TurnContext(adapter, { ...activity, from: { id: 'u-one' } } as never);
    expect(await state.property<number>('conversation', 'n').get(ctx)).toBeUndefined();
    await state.property<string>('user', 'name').set(ctx, 'Li');
    await state.save(ctx, () => undefined);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toHaveLength(2);
    // The conversation scope was only read: nothing to write there.
    expect(writes).toEqual(['test/users/u-one/']);
  });
});

describe('ReusingAuthentication', () => {
  test('one connector client per app id, service URL and audience, not one per turn', async () => {
    const auth = new ReusingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
    const claims = new ClaimsIdentity([], true);
    const a = await auth.createConnectorFactory(claims).create('http://127.0.0.1:1/', 'aud');
    const b = await auth.createConnectorFactory(claims).create('http://127.0.0.1:1/', 'aud');
    const other = await auth.createConnectorFactory(claims).create('http://127.0.0.1:2/', 'aud');
    expect(b).toBe(a);
    expect(other).not.toBe(a);
  });

  test('inbound turns reuse them too: the factory an activity authenticates with, and the user token client', async () => {
    const auth = new ReusingAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
    const activity = { type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1/' } as never;
    const first = await auth.authenticateRequest(activity, '');
    const second = await auth.authenticateRequest(activity, '');
    const a = await first.connectorFactory!.create('http://127.0.0.1:1/', first.audience);
    const b = await second.connectorFactory!.create('http://127.0.0.1:1/', second.audience);
    expect(b).toBe(a);
    const tokens = await auth.createUserTokenClient(first.claimsIdentity);
    expect(await auth.createUserTokenClient(second.claimsIdentity)).toBe(tokens);
  });
});

describe('ConversationReferenceStore', () => {
  test("a turn's own activity id is not kept, so an unchanged reference is not rewritten every turn", async () => {
    const db = tempSqlite();
    const store = await openStore(db.url);
    try {
      const refs = new ConversationReferenceStore(store);
      const reference = (activityId: string) => ({
        activityId,
        channelId: 'webchat',
        serviceUrl: 'http://127.0.0.1:1/',
        conversation: { id: 'c-ref' } as never,
        user: { id: 'u-ref', name: 'u' },
        bot: { id: 'bot', name: 'bot' },
      });
      await refs.save('u-ref', reference('a-1'));
      const first = await store.db.selectFrom('conversation_refs').selectAll().executeTakeFirstOrThrow();
      await new Promise((r) => setTimeout(r, 5));
      await refs.save('u-ref', reference('a-2'));
      const second = await store.db.selectFrom('conversation_refs').selectAll().executeTakeFirstOrThrow();
      expect(JSON.parse(second.reference)).not.toHaveProperty('activityId');
      expect(second.updated_at).toBe(first.updated_at);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describe('the bot endpoint', () => {
  let stub: ConnectorStub;
  beforeAll(async () => {
    stub = await new ConnectorStub().start();
  });
  afterAll(() => stub.stop());

  test('with MicrosoftAppId set, a request without a valid Bot Framework token is 401', async () => {
    const secret = 'x'.repeat(40);
    const t = await startTestApp({
      env: {
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'pw',
        MicrosoftAppTenantId: '00000000-0000-0000-0000-00000000aaaa',
        WORKFLOW_API_TOKEN: secret,
        NOTIFY_SECRET: secret,
        HOST: '127.0.0.1',
      },
    });
    try {
      const activity = {
        type: 'message',
        text: 'hi',
        channelId: 'webchat',
        serviceUrl: stub.url,
        from: { id: 'u' },
        conversation: { id: 'c' },
        recipient: { id: 'b' },
      };
      const noToken = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(noToken.status).toBe(401);
      const forged = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.',
        },
        body: JSON.stringify(activity),
      });
      expect(forged.status).toBe(401);
      expect(stub.for('c')).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });

  test('a stored dialog stack from an older deploy restarts cleanly', async () => {
    const t = await startTestApp();
    try {
      const user = new ChatUser(t.url, stub, 'partner-redeploy');
      await user.say('hi');
      // Simulate a deploy that removed the dialog the conversation was in.
      const row = await t.app.store.db
        .selectFrom('bot_state')
        .selectAll()
        .where('key', 'like', '%partner-redeploy%')
        .executeTakeFirstOrThrow();
      const data = JSON.parse(row.data);
      data.dialog.state.dialogStack = [{ id: 'a-dialog-that-no-longer-exists', state: {} }];
      await t.app.store.db
        .updateTable('bot_state')
        .set({ data: JSON.stringify(data) })
        .where('key', '=', row.key)
        .execute();
      const replies = textOf(await user.say('hello'));
      expect(replies).toContain('Before you apply');
      expect(replies).not.toContain('went wrong');
    } finally {
      await t.stop();
    }
  });

  test('a failing turn gets one friendly sentence and its dialog state is dropped', async () => {
    const db = tempSqlite();
    const store = await openStore(db.url);
    try {
      const state = new ConversationState(new SqlStorage(store));
      const lines: string[] = [];
      const log = createLogger('error', { write: (l: string) => lines.push(l) } as never);
      const adapter = createAdapter(
        loadConfig({ LOG_LEVEL: 'silent' }),
        log,
        (ctx) => state.delete(ctx),
        () => new Catalogue(new DateFormatter()).in('en').t('adapter.apology'),
      );
      const activity = {
        type: 'message',
        text: 'hi',
        channelId: 'webchat',
        serviceUrl: stub.url,
        from: { id: 'u-fail' },
        conversation: { id: 'c-fail' },
        recipient: { id: 'bot' },
      };
      await adapter.handle('', activity as never, async (ctx) => {
        await state.createProperty('dialog').set(ctx, { step: 3 });
        await state.saveChanges(ctx);
        throw new Error('boom');
      });
      const replies = stub.for('c-fail').map((r) => r.activity.text);
      expect(replies).toEqual([expect.stringContaining('something went wrong')]);
      expect(lines.join('')).toContain('turn failed');
      const rows = await store.db
        .selectFrom('bot_state')
        .selectAll()
        .where('key', 'like', '%c-fail%')
        .execute();
      expect(rows).toHaveLength(0);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
