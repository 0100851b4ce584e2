import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_VARIABLES } from '../scripts/teams/manifest';
import { CONFIG_VARIABLES } from '../src/config';

// .env.example and the README's settings table list every variable the server and the Teams
// packaging script read, and nothing else.

const ROOT = path.resolve(__dirname, '..');
const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** NAME=value lines, including commented-out ones (`# BOT_ID=`), each with the comment above it. */
function entries(): Map<string, string> {
  const found = new Map<string, string>();
  let comment = '';
  for (const line of example.split('\n')) {
    const m = line.match(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/);
    if (m) found.set(m[1], comment + line);
    else comment = line.startsWith('#') ? `${comment}${line}\n` : '';
  }
  return found;
}

test('.env.example lists every variable loadConfig reads, each with a comment', () => {
  const listed = entries();
  const missing = CONFIG_VARIABLES.filter((v) => !listed.has(v));
  expect(missing).toEqual([]);
  for (const v of CONFIG_VARIABLES) expect(listed.get(v)).toMatch(/#/);
});

test('the README names every variable loadConfig reads', () => {
  const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`\`${v}\``));
  expect(missing).toEqual([]);
});

test('.env.example lists every variable the Teams packaging script reads, and nothing nobody reads', () => {
  const listed = entries();
  expect(PACKAGE_VARIABLES.filter((v) => !listed.has(v))).toEqual([]);
  const read = new Set([...CONFIG_VARIABLES, ...PACKAGE_VARIABLES]);
  expect([...listed.keys()].filter((v) => !read.has(v))).toEqual([]);
  expect(PACKAGE_VARIABLES.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
});
