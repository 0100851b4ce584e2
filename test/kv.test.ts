import { createKeyv } from '../src/kv';

test('the in-memory Keyv keeps what is set until its TTL', async () => {
  const kv = createKeyv<boolean>(undefined, 'kv-test');
  await kv.set('seen', true, 60_000);
  expect(await kv.get('seen')).toBe(true);
  await kv.set('brief', true, 1);
  await new Promise((r) => setTimeout(r, 10));
  expect(await kv.get('brief')).toBeUndefined();
});

const redisUrl = process.env.TEST_REDIS_URL;
(redisUrl ? test : test.skip)('the Redis Keyv (TEST_REDIS_URL) shares values between clients', async () => {
  const a = createKeyv<string>(redisUrl, `kv-test-${process.pid}`);
  const b = createKeyv<string>(redisUrl, `kv-test-${process.pid}`);
  await a.set('k', 'v', 60_000);
  expect(await b.get('k')).toBe('v');
  await a.delete('k');
  await Promise.all([a.disconnect(), b.disconnect()]);
});
if (!redisUrl) console.log('SKIPPED: Redis Keyv test (set TEST_REDIS_URL=redis://127.0.0.1:6379 to run it)');
