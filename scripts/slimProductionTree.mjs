/* global process, console */
// `npm run slim` (plain Node, so it runs after `npm prune --omit=dev`): deletes from
// node_modules what a running server never reads: source maps, TypeScript sources and
// declarations, and better-sqlite3's C sources and build intermediates (large when it was
// compiled here because no prebuilt binary could be downloaded). Licences, package.json,
// JavaScript and the compiled .node binary stay. Prints what it freed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const UNREAD = /\.(map|ts|mts|cts|tsbuildinfo)$/; // .d.ts, .d.mts, .d.cts end in ts too
/** What better-sqlite3 needs only to compile itself, relative to its package. */
const SQLITE_BUILD_ONLY = [
  'deps',
  'src',
  'build/Release/obj',
  'build/Release/obj.target',
  'build/Release/.deps',
  'build/Release/sqlite3.a',
  'build/Release/test_extension.node',
];

export function slim(nodeModules) {
  let files = 0;
  let bytes = 0;
  const remove = (p, stat) => {
    files += stat.isDirectory() ? 0 : 1;
    bytes += stat.isDirectory() ? sizeOf(p) : stat.size;
    fs.rmSync(p, { recursive: true, force: true });
  };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (
          entry.name === 'better-sqlite3' &&
          fs.existsSync(path.join(p, 'build', 'Release', 'better_sqlite3.node'))
        ) {
          for (const rel of SQLITE_BUILD_ONLY) {
            const leftover = path.join(p, rel);
            if (fs.existsSync(leftover)) remove(leftover, fs.statSync(leftover));
          }
        }
        walk(p);
      } else if (entry.isFile() && UNREAD.test(entry.name)) {
        remove(p, fs.statSync(p));
      }
    }
  };
  walk(nodeModules);
  return { files, bytes };
}

function sizeOf(p) {
  const stat = fs.lstatSync(p);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(p).reduce((sum, name) => sum + sizeOf(path.join(p, name)), 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = path.resolve(process.argv[2] ?? 'node_modules');
  const { files, bytes } = slim(target);
  console.log(`${target}: removed ${files} files not read at run time, ${(bytes / 1e6).toFixed(0)} MB`);
}
