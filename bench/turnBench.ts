import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Bot turns over HTTP: the product against a bare echo bot on the same botbuilder and
 * restify, each in its own process, replies going to a connector sink in a third process.
 * Every scenario runs as A B A B phases (echo, product, echo, product) of 2,000 turns
 * (20 conversations × 100 turns back to back), so a slow minute on the machine hits both
 * sides of a pair; each pair gives a throughput ratio to echo and the spread of the pairs is
 * printed. The driver is light: Node's http with keep-alive and request bodies built before
 * the clock starts. The product's outbox is drained before each of its phases, so one
 * scenario's notifications do not run during the next. Then resident memory over 20,000
 * turns and the start-up time to /healthz.
 */
const ROOT = path.resolve(__dirname, '..');
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 20);
const TURNS_PER_CONVERSATION = Number(process.env.BENCH_TURNS ?? 100);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 2);
const TOKEN = 'bench-token';
const BD = 'bench-bd';

/** Real, varied questions: the in-scope English ones of the FAQ evaluation set. */
const QUESTIONS = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'test/faq/eval-set.json'), 'utf8')) as {
    question: string;
    expected: string[];
    lang: string;
  }[]
)
  .filter((q) => q.expected.length > 0 && q.lang === 'en')
  .map((q) => q.question);

interface Server {
  url: string;
  child: ChildProcess;
  startMs: number;
}

function spawnServer(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<Server> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining the logs
        resolve({ url: m[1], child, startMs: Number(process.hrtime.bigint() - started) / 1e6 });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

async function startProduct(dbFile: string): Promise<Server> {
  // Exactly as `npm start` runs it (its node flags come from package.json), plus any to try.
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const startFlags = pkg.scripts.start.split(' ').filter((w) => w.startsWith('--'));
  const flags = [...startFlags, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const t0 = process.hrtime.bigint();
  const server = await spawnServer(
    [...flags, 'dist/src/index.js'],
    {
      PORT: '0',
      DATABASE_URL: `sqlite:${dbFile}`,
      WORKFLOW_API_TOKEN: TOKEN,
      BD_USER_IDS: BD,
      LOG_LEVEL: 'info',
      // A benchmark client is one user sending far faster than a person.
      TURN_RATE_LIMIT: '10000',
      TURN_RATE_WINDOW_SECONDS: '1',
    },
    /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/,
  );
  for (;;) {
    const ok = await fetch(`${server.url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  server.startMs = Number(process.hrtime.bigint() - t0) / 1e6; // to the first 200 from /healthz
  return server;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024);
}

/** The light driver: keep-alive sockets, a body string per request, nothing parsed back. */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONVERSATIONS * 2 });
function post(url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/api/messages',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`turn answered ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let activitySeq = 0;
function activity(sinkUrl: string, user: string, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'message',
    id: `bench-${++activitySeq}`,
    channelId: 'webchat',
    serviceUrl: sinkUrl,
    from: { id: user, name: user },
    recipient: { id: 'bot', name: 'bot' },
    conversation: { id: `conv-${user}` },
    ...fields,
  });
}

/** What conversation `u` sends as its turn `i`. */
type TurnOf = (u: number, i: number) => Record<string, unknown>;

interface Phase {
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Every conversation sends its turns back to back; all conversations at once. */
async function phase(botUrl: string, sinkUrl: string, users: string[], turnOf: TurnOf): Promise<Phase> {
  const url = new URL(botUrl);
  const bodies = users.map((user, u) =>
    Array.from({ length: TURNS_PER_CONVERSATION }, (_, i) => activity(sinkUrl, user, turnOf(u, i))),
  );
  const latencies: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    bodies.map(async (mine) => {
      for (const body of mine) latencies.push(await post(url, body));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    turnsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round(pct(0.5)),
    p99Ms: round(pct(0.99)),
  };
}

/** Calls the workflow API as the seed does (set-up only, not measured). */
function workflow(url: string) {
  return async (method: string, p: string, actor: string, body?: unknown) => {
    const res = await fetch(`${url}/workflow/v1${p}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-acting-user': actor,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as { id: string; version: number; invitationCode?: string; mainUid?: string };
  };
}

/** One submitted application per partner: what status, start, FAQ and the card presses run against. */
async function seedSubmitted(url: string, users: string[]): Promise<{ id: string; version: number }[]> {
  const call = workflow(url);
  const apps = [];
  for (const [i, user] of users.entries()) {
    let app = await call('POST', '/applications', user, {
      companyName: `Bench Turn ${i} Co`,
      mainUid: String(5_200_000_000_000_000 + i),
      contactEmail: `t${i}@bench.example.com`,
    });
    const act = async (action: string, actor: string, payload: Record<string, unknown> = {}) => {
      app = {
        ...app,
        ...(await call('POST', `/applications/${app.id}/actions/${action}`, actor, {
          expectedVersion: app.version,
          payload,
        })),
      };
    };
    await act('request-qualification-review', user);
    await act('invite', BD);
    await act('accept-invitation', user, { invitationCode: app.invitationCode });
    await act('update-application', user, {
      companyInfoConfirmed: true,
      businessType: 'reseller',
      masterUid: app.mainUid,
      contactName: 'Bench',
      contactPhone: '+86 571 0000 0000',
      country: 'China',
    });
    await act('submit', user);
    apps.push({ id: app.id, version: app.version });
  }
  return apps;
}

/** The product's outbox has nothing left to deliver (read straight from its SQLite file). */
async function outboxDrained(dbFile: string): Promise<void> {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    for (let waited = 0; waited < 120_000; waited += 50) {
      const { n } = db.prepare('select count(*) as n from outbox where delivered_at is null').get() as {
        n: number;
      };
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the outbox did not drain within 2 minutes');
  } finally {
    db.close();
  }
}

interface Scenario {
  name: string;
  /** The conversations it runs in (set up before it is measured). */
  users: string[];
  turnOf: TurnOf;
}

export async function runTurnBench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turn-bench-'));
  const dbFile = path.join(dir, 'bench.db');
  const sink = await spawnServer(['--import', 'tsx', 'bench/connectorSink.ts'], {}, /"url":"(http:[^"]+)"/);
  const product = await startProduct(dbFile);
  const echo = await spawnServer(
    ['--disable-warning=DEP0111', '--import', 'tsx', 'bench/echoBot.ts'],
    { PORT: '0' },
    /"url":"(http:[^"]+)"/,
  );
  const partners = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-partner-${i}`);
  const registering = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-new-${i}`);
  try {
    const apps = await seedSubmitted(product.url, partners);
    // Registering partners wait at the Main UID prompt: each turn is a typed answer it asks again for.
    for (const u of registering) {
      for (const text of ['start', 'yes', `Bench Registering ${u} Co`])
        await post(new URL(product.url), activity(sink.url, u, { text }));
    }
    // Card presses alternate withdraw and submit on each partner's own application (an even
    // number per phase, so every phase starts from "submitted"); the version travels with it.
    const versions = apps.map((a) => a.version);
    const press: TurnOf = (u, i) => {
      const action = i % 2 === 0 ? 'withdraw' : 'submit';
      return {
        value: { verb: 'workflow.act', action, applicationId: apps[u].id, version: versions[u]++ },
      };
    };
    const scenarios: Scenario[] = [
      {
        name: 'FAQ question',
        users: partners,
        turnOf: (u, i) => ({ text: QUESTIONS[(u * 7 + i) % QUESTIONS.length] }),
      },
      { name: 'status', users: partners, turnOf: () => ({ text: 'status' }) },
      { name: 'start (step and its card)', users: partners, turnOf: () => ({ text: 'start' }) },
      { name: 'typed dialog answer (re-asked UID)', users: registering, turnOf: () => ({ text: '12345' }) },
      { name: 'card press with a workflow action', users: partners, turnOf: press },
    ];

    // BENCH_ONLY=<words>: only the scenarios whose name contains them (for profiling one).
    const only = process.env.BENCH_ONLY;
    if (only) scenarios.splice(0, scenarios.length, ...scenarios.filter((s) => s.name.includes(only)));
    process.stdout.write('  warming up\n');
    await phase(echo.url, sink.url, partners, () => ({ text: 'hello' }));
    for (const s of scenarios) await phase(product.url, sink.url, s.users, s.turnOf);

    const rows = [];
    for (const s of scenarios) {
      const pairs: { echo: Phase; product: Phase }[] = [];
      for (let p = 0; p < PAIRS; p++) {
        const e = await phase(echo.url, sink.url, s.users, () => ({ text: 'hello' }));
        await outboxDrained(dbFile);
        const b = await phase(product.url, sink.url, s.users, s.turnOf);
        pairs.push({ echo: e, product: b });
      }
      const ratios = pairs.map((p) => p.product.turnsPerSecond / p.echo.turnsPerSecond);
      const p99Ratios = pairs.map((p) => p.product.p99Ms / p.echo.p99Ms);
      const row = {
        scenario: s.name,
        echoTurnsPerSecond: pairs.map((p) => p.echo.turnsPerSecond).join(' / '),
        turnsPerSecond: pairs.map((p) => p.product.turnsPerSecond).join(' / '),
        ratioToEcho: round(mean(ratios)),
        ratioSpread: `${round(Math.min(...ratios))}–${round(Math.max(...ratios))}`,
        p50Ms: round(mean(pairs.map((p) => p.product.p50Ms))),
        p99Ms: round(mean(pairs.map((p) => p.product.p99Ms))),
        p99ToEcho: round(mean(p99Ratios)),
      };
      rows.push(row);
      process.stdout.write(
        `  ${s.name}: ratio ${row.ratioToEcho} (${row.ratioSpread}), p99 ${row.p99ToEcho}× echo's\n`,
      );
    }
    console.table(rows);
    // BENCH_QUICK=1: throughput and latency only (for trying a change).
    if (process.env.BENCH_QUICK) return { rows };

    // Memory: FAQ questions and guided steps, 20,000 turns in all.
    let done = 0;
    const memoryTurns = async (target: number) => {
      while (done < target) {
        const s = scenarios[(done / 2000) % 3];
        await phase(product.url, sink.url, s.users, s.turnOf);
        done += CONVERSATIONS * TURNS_PER_CONVERSATION;
        process.stdout.write(`  memory: ${done} turns, RSS ${rssMb(product.child.pid!)} MB\n`);
      }
    };
    await memoryTurns(10_000);
    const rss10k = rssMb(product.child.pid!);
    await memoryTurns(20_000);
    const rss20k = rssMb(product.child.pid!);
    const memory = {
      productStartToHealthyMs: Math.round(product.startMs),
      echoStartMs: Math.round(echo.startMs),
      rssAfter10kTurnsMb: rss10k,
      rssAfter20kTurnsMb: rss20k,
      growth10kTo20kMb: rss20k - rss10k,
    };
    console.table([memory]);
    return {
      conversations: CONVERSATIONS,
      turnsPerPhase: CONVERSATIONS * TURNS_PER_CONVERSATION,
      pairs: PAIRS,
      rows,
      memory,
    };
  } finally {
    agent.destroy();
    for (const s of [product, echo, sink]) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (require.main === module) void runTurnBench();
