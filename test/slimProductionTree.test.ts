import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `npm run slim` removes from a pruned node_modules only what a running server never reads.

const SCRIPT = path.resolve(__dirname, '../scripts/slimProductionTree.mjs');

test('source maps, TypeScript files and better-sqlite3 build leftovers go; code, data and licences stay', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slim-'));
  const nm = path.join(root, 'node_modules');
  const write = (rel: string, bytes = 10) => {
    fs.mkdirSync(path.dirname(path.join(nm, rel)), { recursive: true });
    fs.writeFileSync(path.join(nm, rel), 'x'.repeat(bytes));
  };
  const kept = [
    'lib-a/package.json',
    'lib-a/LICENSE',
    'lib-a/dist/index.js',
    'lib-a/dist/index.mjs',
    'lib-a/dist/data.json',
    'lib-a/src/index.js', // a JavaScript src/ of an ordinary package stays
    '@scope/lib-b/lib/index.cjs',
    'better-sqlite3/lib/index.js',
    'better-sqlite3/package.json',
    'better-sqlite3/build/Release/better_sqlite3.node',
  ];
  const removed = [
    'lib-a/dist/index.js.map',
    'lib-a/dist/index.d.ts',
    'lib-a/dist/index.d.mts',
    'lib-a/src/index.ts',
    '@scope/lib-b/lib/index.d.cts',
    '@scope/lib-b/tsconfig.tsbuildinfo',
    'better-sqlite3/deps/sqlite3/sqlite3.c',
    'better-sqlite3/src/better_sqlite3.cpp',
    'better-sqlite3/build/Release/obj.target/better_sqlite3/src/better_sqlite3.o',
    'better-sqlite3/build/Release/sqlite3.a',
  ];
  for (const f of kept) write(f);
  for (const f of removed) write(f, 1000);
  const r = spawnSync(process.execPath, [SCRIPT, nm], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/removed \d+ files not read at run time/);
  for (const f of kept) expect(fs.existsSync(path.join(nm, f))).toBe(true);
  for (const f of removed) expect(fs.existsSync(path.join(nm, f))).toBe(false);
  fs.rmSync(root, { recursive: true, force: true });
});
