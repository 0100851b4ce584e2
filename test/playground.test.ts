import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// `npm run playground`: the Microsoft 365 Agents Playground (a real dev dependency) against a
// development instance the script starts, both stopped together.

const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts/playground.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

test('it refuses an instance with an app id, which the Playground cannot authenticate to', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, BOT_ID: '12345678-1234-4234-8234-123456789abc' },
    encoding: 'utf8',
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('unset MicrosoftAppId (or BOT_ID)');
});

test('it starts a development instance and the Playground, which serves its page; SIGTERM stops both', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-'));
  const [port, playgroundPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${dir}/o.db` };
  delete env.MicrosoftAppId;
  delete env.BOT_ID;
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--port', String(playgroundPort)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const deadline = Date.now() + 40_000;
    while (!out.includes(`Listening on ${playgroundPort}`)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`playground did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain(`it talks to http://127.0.0.1:${port}/api/messages`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${playgroundPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const stopped = async (url: string) =>
    fetch(url).then(
      () => false,
      () => true,
    );
  await new Promise((r) => setTimeout(r, 500));
  expect(await stopped(`http://127.0.0.1:${port}/healthz`)).toBe(true);
  expect(await stopped(`http://127.0.0.1:${playgroundPort}/`)).toBe(true);
}, 60_000);
