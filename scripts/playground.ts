import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { ConfigError, ENV_ALIASES, loadConfig } from '../src/config';

/**
 * `npm run playground [-- --port 56150]`: the Microsoft 365 Agents Playground (a Teams-like
 * chat in the browser, no Teams or Azure needed) against a local development instance. It
 * reuses an instance already answering on PORT, or starts one from source with .env.
 */
const ROOT = path.resolve(__dirname, '..');
const PACKAGE = '@microsoft/m365agentsplayground';

function fail(message: string): never {
  console.error(`npm run playground: ${message}`);
  process.exit(1);
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { port: { type: 'string', default: '56150' } } });
  let cli: string;
  try {
    cli = require.resolve(`${PACKAGE}/cli.js`);
  } catch {
    fail(`the Agents Playground (${PACKAGE}, a dev dependency) is not installed: run npm install`);
  }

  // The settings the server will see: .env under the real environment, as npm start reads them.
  const envFile = path.join(ROOT, '.env');
  const env = {
    ...(fs.existsSync(envFile) ? parseEnv(fs.readFileSync(envFile, 'utf8')) : {}),
    ...process.env,
  };
  if (['MicrosoftAppId', ...ENV_ALIASES.MicrosoftAppId].some((name) => env[name]?.trim()))
    fail(
      'the Playground sends no Bot Framework token, so it talks to a development instance: ' +
        'unset MicrosoftAppId (or BOT_ID) in .env and the environment',
    );
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const bot = `http://127.0.0.1:${config.port}`;

  const children: ChildProcess[] = [];
  const stopAll = (code: number) => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    process.exitCode = code;
  };
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  if (await healthy(bot)) {
    console.log(`Using the instance already running at ${bot}`);
  } else {
    const server = spawn(
      process.execPath,
      ['--env-file-if-exists=.env', '--disable-warning=DEP0111', '--import', 'tsx', 'src/index.ts'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    children.push(server);
    server.on('exit', (code) => stopAll(code ?? 1));
    const deadline = Date.now() + 30_000;
    while (!(await healthy(bot))) {
      if (server.exitCode !== null) return;
      if (Date.now() > deadline) {
        stopAll(1);
        fail(`the server did not answer ${bot}/healthz within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const playground = spawn(
    process.execPath,
    [
      cli,
      'start',
      '--app-endpoint',
      `${bot}/api/messages`,
      '--channel-id',
      'msteams',
      '--port',
      args.port!,
      '--disable-telemetry',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  children.push(playground);
  playground.on('exit', (code) => stopAll(code ?? 1));
  console.log(
    `Agents Playground: open http://localhost:${args.port} (it talks to ${bot}/api/messages as Teams)`,
  );
}

void main();
