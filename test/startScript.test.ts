import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../package.json';

// `npm start` reads .env from the project folder with Node's own --env-file-if-exists: a
// PORT there is used, and a variable set in the real environment wins over the file.

const ROOT = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The node flags of package.json's start script, run against the sources through tsx. */
function startFlags(): string[] {
  const [bin, ...rest] = pkg.scripts.start.split(/\s+/);
  expect(bin).toBe('node');
  expect(rest.at(-1)).toBe('dist/src/index.js');
  return rest.slice(0, -1);
}

test('npm start takes PORT and other settings from .env; the environment wins', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-env-'));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, '.env'),
    [
      '# written by the test',
      `PORT=${port}`,
      `DATABASE_URL="sqlite:${path.join(dir, 'onboarding.db')}"`,
      'LOG_LEVEL=silent',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.PORT;
  delete env.DATABASE_URL;
  const loader = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(
    process.execPath,
    [...startFlags(), '--import', loader, path.join(ROOT, 'src/index.ts')],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening within 20 s:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        if (/"msg":"listening"/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    expect(out).toContain(`"url":"http://127.0.0.1:${port}"`); // PORT from .env
    expect(fs.existsSync(path.join(dir, 'onboarding.db'))).toBe(true); // quoted DATABASE_URL from .env
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
