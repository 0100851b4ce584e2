import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectorStub } from '../test/support/connectorStub';

/**
 * Bot turns over HTTP, the product against a bare echo bot on the same botbuilder and
 * restify, each in its own process, replies going to a local connector stub:
 * turns per second and p50 / p99 latency at 20 concurrent conversations for a FAQ
 * question and for a guided step that calls the workflow API; start-up time to /healthz;
 * resident memory after 10,000 and 20,000 turns.
 */
const ROOT = path.resolve(__dirname, '..');
const CONVERSATIONS = 20;
const TURNS_PER_CONVERSATION = 100;
const TOKEN = 'bench-token';
/** Paced load: each conversation sends a turn every this many ms (20 conversations → 100 turns/s offered). */
const PACE_MS = 200;
const PACED_TURNS = 25;

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

async function startProduct(dbFile: string): Promise<Server> {
  const started = process.hrtime.bigint();
  // Exactly as `npm start` runs it (its node flags come from package.json), plus any to try.
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const startFlags = pkg.scripts.start.split(' ').filter((w) => w.startsWith('--'));
  const flags = [...startFlags, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, 'dist/src/index.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${dbFile}`,
      WORKFLOW_API_TOKEN: TOKEN,
      BD_USER_IDS: 'bench-bd',
      LOG_LEVEL: 'info',
      // A benchmark client is one user sending far faster than a person.
      TURN_RATE_LIMIT: '10000',
      TURN_RATE_WINDOW_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await firstMatch(child, /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/);
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.stdout!.resume(); // keep draining the logs
  return { url, child, startMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function startEcho(): Promise<Server> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['--disable-warning=DEP0111', '--import', 'tsx', 'bench/echoBot.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await firstMatch(child, /"url":"(http:[^"]+)"/);
  child.stdout!.resume();
  return { url, child, startMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

function firstMatch(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024);
}

let activitySeq = 0;
async function turn(url: string, stubUrl: string, user: string, text: string): Promise<number> {
  const body = JSON.stringify({
    type: 'message',
    id: `bench-${++activitySeq}`,
    channelId: 'webchat',
    serviceUrl: stubUrl,
    from: { id: user, name: user },
    recipient: { id: 'bot', name: 'bot' },
    conversation: { id: `conv-${user}` },
    text,
  });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`turn answered ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * 20 conversations in parallel, each sending its turns one after another: back to back
 * (saturated: the throughput figure) or one every `paceMs` (latency under a steady load).
 */
async function load(
  url: string,
  stubUrl: string,
  users: string[],
  text: string | ((i: number) => string),
  turns: number,
  paceMs = 0,
) {
  const latencies: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    users.map(async (user, u) => {
      // Paced conversations are spread over the interval, as people do not type in step.
      if (paceMs) await new Promise((r) => setTimeout(r, (u * paceMs) / users.length));
      for (let i = 0; i < turns; i++) {
        const started = Date.now();
        latencies.push(await turn(url, stubUrl, user, typeof text === 'string' ? text : text(u * turns + i)));
        const wait = paceMs - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    turnsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: Math.round(pct(0.5) * 10) / 10,
    p99Ms: Math.round(pct(0.99) * 10) / 10,
  };
}

async function seed(url: string, users: string[]) {
  const call = async (method: string, p: string, actor: string, body?: unknown) => {
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
    await act('invite', 'bench-bd');
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
  }
}

export async function runTurnBench(): Promise<Record<string, unknown>> {
  const stub = await new ConnectorStub().start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turn-bench-'));
  const product = await startProduct(path.join(dir, 'bench.db'));
  const echo = await startEcho();
  const users = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-partner-${i}`);
  try {
    await seed(product.url, users);
    process.stdout.write('  warming up\n');
    await load(echo.url, stub.url, users, 'hello', 20);
    await load(product.url, stub.url, users, (i) => QUESTIONS[i % QUESTIONS.length], 10);
    await load(product.url, stub.url, users, 'start', 10);
    stub.received.length = 0;

    const question = (i: number) => QUESTIONS[i % QUESTIONS.length];
    const scenarios: [string, string, string | ((i: number) => string)][] = [
      ['echo bot (baseline)', echo.url, 'hello'],
      ['FAQ question', product.url, question],
      ['guided step + workflow API', product.url, 'start'],
    ];
    const measured: {
      scenario: string;
      saturated: Awaited<ReturnType<typeof load>>;
      paced: Awaited<ReturnType<typeof load>>;
    }[] = [];
    for (const [scenario, url, text] of scenarios) {
      process.stdout.write(
        `  ${scenario}: ${CONVERSATIONS} conversations × ${TURNS_PER_CONVERSATION} turns back to back, then paced\n`,
      );
      const saturated = await load(url, stub.url, users, text, TURNS_PER_CONVERSATION);
      const paced = await load(url, stub.url, users, text, PACED_TURNS, PACE_MS);
      measured.push({ scenario, saturated, paced });
      stub.received.length = 0;
    }
    const echoFigures = measured[0].saturated;
    // Memory: FAQ and guided turns until 10,000, then 10,000 more.
    let done = 0;
    const memoryTurns = async (target: number) => {
      while (done < target) {
        const batch = Math.min(2000, target - done);
        await load(
          product.url,
          stub.url,
          users,
          done % 4000 < 2000 ? question : 'start',
          batch / CONVERSATIONS,
        );
        stub.received.length = 0;
        done += batch;
        process.stdout.write(`  memory: ${done} turns, RSS ${rssMb(product.child.pid!)} MB\n`);
      }
    };
    const ratio = (x: number) => Math.round((x / echoFigures.turnsPerSecond) * 100) / 100;
    const rows = measured.map((m) => ({
      scenario: m.scenario,
      turnsPerSecond: m.saturated.turnsPerSecond,
      ratioToEcho: ratio(m.saturated.turnsPerSecond),
      saturatedP50Ms: m.saturated.p50Ms,
      saturatedP99Ms: m.saturated.p99Ms,
      pacedP50Ms: m.paced.p50Ms,
      pacedP99Ms: m.paced.p99Ms,
    }));
    console.table(rows);
    // BENCH_QUICK=1: throughput and latency only (for trying a change).
    if (process.env.BENCH_QUICK) return { rows };
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
      turnsPerConversation: TURNS_PER_CONVERSATION,
      pacedTurnsPerSecondOffered: (CONVERSATIONS * 1000) / PACE_MS,
      rows,
      memory,
    };
  } finally {
    for (const s of [product, echo]) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    await stub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void runTurnBench();
