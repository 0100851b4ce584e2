import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { CONFIG_VARIABLES } from '../src/config';
import { placeholders } from '../scripts/teams/manifest';

// The Microsoft 365 Agents Toolkit layout hangs together: every ${{VAR}} the project files,
// the manifest and the ARM parameters use is declared in that environment's env file or
// written by an earlier action, and what reaches the server is a setting it reads.

const ROOT = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
/** JSON with // comments, as VS Code reads .vscode files. */
const jsonc = (f: string) => JSON.parse(read(f).replace(/^\s*\/\/.*$/gm, ''));

/** `key: VALUE` lines of every block under `heading:` (the YAML here is plain). */
function blocks(yml: string, heading: string): Record<string, string> {
  const found: Record<string, string> = {};
  const lines = yml.split('\n');
  lines.forEach((line, i) => {
    const m = line.match(/^(\s*)(\w+):\s*$/);
    if (!m || m[2] !== heading) return;
    for (const next of lines.slice(i + 1)) {
      const kv = next.match(/^(\s*)(\w+):\s*(.*)$/);
      if (!kv || kv[1].length <= m[1].length) break;
      found[kv[2]] = kv[3];
    }
  });
  return found;
}

const BUILT_IN = ['TEAMSFX_ENV', 'TEAMS_APP_TENANT_ID', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

function declared(env: 'local' | 'dev', yml: string): Set<string> {
  const names = new Set([...BUILT_IN, ...Object.keys(parseEnv(read(`env/.env.${env}`)))]);
  for (const v of Object.values(blocks(yml, 'writeToEnvironmentFile'))) names.add(v);
  if (env === 'dev') for (const m of read('infra/azure.bicep').matchAll(/^output (\w+) /gm)) names.add(m[1]);
  if (env === 'local') {
    const tunnel = jsonc('.vscode/tasks.json').tasks.find(
      (t: { label: string }) => t.label === 'Start local tunnel',
    );
    for (const p of tunnel.args.ports)
      for (const v of Object.values(p.writeToEnvironmentFile)) names.add(v as string);
  }
  return names;
}

test.each([
  ['local', 'm365agents.local.yml', ['appPackage/manifest.json']],
  ['dev', 'm365agents.yml', ['appPackage/manifest.json', 'infra/azure.parameters.json']],
] as const)('%s: every placeholder is declared or written before it is used', (env, project, files) => {
  const yml = read(project);
  const names = declared(env, yml);
  const used = [yml, ...files.map(read)].flatMap(placeholders);
  expect(used.filter((v) => !names.has(v))).toEqual([]);
});

test('what the Toolkit hands the server are settings the server reads', () => {
  const localConfigs = Object.keys(blocks(read('m365agents.local.yml'), 'envs'));
  expect(localConfigs.length).toBeGreaterThan(5);
  expect(localConfigs.filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
  const bicep = read('infra/azure.bicep');
  const appSettings = [...bicep.matchAll(/name: '([A-Za-z_]+)'\s+value:/g)].map((m) => m[1]);
  const appServiceOwn = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'CUSTOM_BUILD_COMMAND'];
  expect(appSettings).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_TENANT_ID', 'DATABASE_URL']));
  expect(appSettings.filter((v) => !CONFIG_VARIABLES.includes(v) && !appServiceOwn.includes(v))).toEqual([]);
});

test('the ARM parameters file and the Bicep template agree', () => {
  const bicep = read('infra/azure.bicep');
  const params = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({
    name: m[1],
    required: !m[2],
  }));
  const given = Object.keys(JSON.parse(read('infra/azure.parameters.json')).parameters);
  expect(given.filter((g) => !params.some((p) => p.name === g))).toEqual([]);
  expect(params.filter((p) => p.required && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
});

test('Deploy uploads what the server runs from and App Service starts it without npm start', () => {
  const ignore = read('.webappignore');
  for (const kept of ['package.json', 'package-lock.json', 'dist/', 'knowledge/'])
    expect(ignore).toContain(`!/${kept}`);
  expect(read('infra/azure.bicep')).toMatch(/appCommandLine: 'node [^']*dist\/src\/index\.js'/);
});
