import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import commands from '../../dialogs/helpers/commands.json';
import { commandOf } from '../../dialogs/helpers/intents';
import { APP_PACKAGE_DIR, buildManifest, languageFiles } from '../../scripts/teams/manifest';
import en from '../../src/i18n/en.json';
import zh from '../../src/i18n/zh-CN.json';
import { validateManifest } from '../../scripts/teams/validate';
import { readEnv } from '../../scripts/teams/package';
import { pngInfo } from '../../scripts/teams/png';

// The Teams app package, validated offline by @microsoft/app-manifest against the schema it ships.

const ENV = { MicrosoftAppId: '12345678-1234-4234-8234-123456789abc', BOT_DOMAIN: 'onboarding.example.com' };
const ROOT = path.resolve(__dirname, '../..');

/**
 * The packaging and validation scripts run as the commands they are (node + tsx):
 * @microsoft/app-manifest require()s an ES module, which Node loads and Jest cannot.
 */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Schema errors from `npm run teams:validate -- <file>`, none when valid. */
async function validate(manifest: Record<string, unknown>): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-validate-'));
  const file = path.join(dir, 'manifest.json');
  fs.writeFileSync(file, JSON.stringify(manifest));
  const r = run('scripts/teams/validate.ts', [file]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status === 0) return [];
  expect(r.output).toContain('does not match its schema');
  return r.output
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
}

test('npm run teams:package writes a zip with a schema-valid manifest and both icons', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  const envFile = path.join(out, 'package.env');
  fs.writeFileSync(
    envFile,
    Object.entries(ENV)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const r = run('scripts/teams/package.ts', ['--env-file', envFile, '--out', out]);
  expect(r.output).toContain('Teams app package written to');
  expect(r.status).toBe(0);
  const zip = new AdmZip(path.join(out, 'appPackage.zip'));
  expect(
    zip
      .getEntries()
      .map((e) => e.entryName)
      .sort(),
  ).toEqual(['color.png', 'manifest.json', 'outline.png', 'zh-cn.json']);
  const manifest = JSON.parse(zip.readAsText('manifest.json'));
  expect(JSON.parse(zip.readAsText('zh-cn.json'))['name.full']).toBe('阿里云代理合作伙伴入驻助手');
  expect(await validate(manifest)).toEqual([]);
  expect(manifest.bots[0].botId).toBe(ENV.MicrosoftAppId);
  expect(manifest.id).toBe(ENV.MicrosoftAppId);
  expect(manifest.validDomains).toEqual(['onboarding.example.com']);
  expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team']));
  fs.rmSync(out, { recursive: true, force: true });
});

test('the validator really checks: a broken manifest is refused', async () => {
  const manifest = buildManifest(ENV) as { bots: { scopes: string[] }[]; accentColor?: string };
  manifest.bots[0].scopes = ['everywhere'];
  delete manifest.accentColor;
  const errors = await validate(manifest as never);
  expect(errors.length).toBeGreaterThanOrEqual(2);
  expect(errors.join('\n')).toMatch(/scopes/);
  expect(errors.join('\n')).toMatch(/accentColor/);
});

test('it uses the newest manifest schema the package ships', () => {
  const dir = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
  const versions = fs
    .readdirSync(dir)
    .filter((v) => /^v\d+\.\d+$/.test(v))
    .map((v) => v.slice(1))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  expect(buildManifest(ENV).manifestVersion).toBe(versions.at(-1));
});

test("the command menu is the bot's own commands, each understood by the bot", () => {
  const manifest = buildManifest(ENV) as {
    bots: { commandLists: { commands: { title: string; description: string }[] }[] }[];
  };
  const menu = manifest.bots[0].commandLists[0].commands;
  expect(menu.map((c) => c.title).sort()).toEqual(Object.keys(commands).sort());
  for (const c of menu) {
    expect(commandOf(c.title)).toBe(c.title);
    expect(c.title.length).toBeLessThanOrEqual(32);
    expect(c.description.length).toBeGreaterThan(0);
    expect(c.description.length).toBeLessThanOrEqual(128);
  }
  expect(menu.length).toBeLessThanOrEqual(10);
  // appPackage/manifest.json holds the menu itself (the Toolkit zips it as it is): the catalogue's words.
  const help = en.help.menu as Record<string, string>;
  for (const c of menu) expect(c.description).toBe(help[c.title]);
});

test('the manifest carries zh-cn (localizationInfo): the Chinese name, description and menu, each command understood', async () => {
  const manifest = buildManifest(ENV) as {
    localizationInfo: unknown;
    bots: { commandLists: { commands: { title: string }[] }[] }[];
  };
  expect(manifest.localizationInfo).toEqual({
    defaultLanguageTag: 'en-us',
    additionalLanguages: [{ languageTag: 'zh-cn', file: 'zh-cn.json' }],
  });
  const [zhCn] = languageFiles(manifest);
  const strings = zhCn.strings as Record<string, string>;
  const menu = manifest.bots[0].commandLists[0].commands;
  const help = zh.help.menu as Record<string, string>;
  menu.forEach((c, i) => {
    const title = strings[`bots[0].commandLists[0].commands[${i}].title`];
    // Pressing the Chinese menu entry sends its title: the bot must take it as the same command.
    expect(commandOf(title)).toBe(c.title);
    expect(strings[`bots[0].commandLists[0].commands[${i}].description`]).toBe(help[c.title]);
  });
  expect(/[\u4e00-\u9fff]/.test(strings['name.short'] + strings['description.full'])).toBe(true);
  // Schema-valid, as `npm run teams:validate -- appPackage/zh-cn.json` checks it.
  const ok = run('scripts/teams/validate.ts', [path.join(APP_PACKAGE_DIR, 'zh-cn.json')]);
  expect(ok.output).toContain('matches the Teams localization schema 1.30');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-zh-'));
  const broken = path.join(dir, 'zh-cn.json');
  fs.writeFileSync(broken, JSON.stringify({ ...strings, 'name.short': '名'.repeat(40), unknown: 'x' }));
  const refused = run('scripts/teams/validate.ts', [broken]);
  expect(refused.status).toBe(1);
  expect(refused.output).toMatch(/name\.short|maxLength/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the Toolkit's BOT_ID names the bot as MicrosoftAppId does; two different ids are refused", () => {
  const manifest = buildManifest({ BOT_ID: ENV.MicrosoftAppId, BOT_DOMAIN: ENV.BOT_DOMAIN }) as {
    id: string;
    bots: { botId: string }[];
  };
  expect(manifest.bots[0].botId).toBe(ENV.MicrosoftAppId);
  expect(manifest.id).toBe(ENV.MicrosoftAppId);
  expect(() => buildManifest({ ...ENV, BOT_ID: '22345678-1234-4234-8234-123456789abc' })).toThrow(
    /MicrosoftAppId and BOT_ID .* different/,
  );
  expect(() => buildManifest({ BOT_ID: 'not-a-guid', BOT_DOMAIN: 'x.example.com' })).toThrow(
    /BOT_ID: expected/,
  );
});

test('validation never reaches for the network: a manifest version the package does not ship is refused', async () => {
  const manifest = { ...buildManifest(ENV), manifestVersion: '9.99' };
  expect(await validateManifest(manifest)).toEqual([expect.stringMatching(/9\.99.*ships no schema/)]);
});

test('icons: colour 192×192, outline 32×32 white on transparent', () => {
  const colour = fs.readFileSync(path.join(APP_PACKAGE_DIR, 'color.png'));
  const outline = fs.readFileSync(path.join(APP_PACKAGE_DIR, 'outline.png'));
  expect(pngInfo(colour)).toMatchObject({ width: 192, height: 192 });
  expect(pngInfo(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
  // Decode the outline's pixels (our encoder writes filter 0 rows) and check every one.
  const idat = outline.subarray(outline.indexOf('IDAT') + 4, outline.indexOf('IEND') - 8);
  const raw = inflateSync(idat);
  let opaque = 0;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const i = y * (32 * 4 + 1) + 1 + x * 4;
      const [r, g, b, a] = raw.subarray(i, i + 4);
      if (a > 0) {
        opaque++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
  }
  expect(opaque).toBeGreaterThan(50); // there is a mark to see
});

test('missing or malformed settings are named', () => {
  expect(() => buildManifest({})).toThrow(/MicrosoftAppId and BOT_DOMAIN/);
  expect(() => buildManifest({ ...ENV, MicrosoftAppId: 'my-bot' })).toThrow(
    /MicrosoftAppId: expected .* GUID/,
  );
});

test('the packaging script reads .env as node --env-file does, and the environment wins', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(
    file,
    [
      '# comment',
      'BOT_DOMAIN=bot.example.com # trailing comment',
      'export DEVELOPER_NAME="Contoso, Ltd."',
      "APP_VERSION='2.0.1'",
      'TEAMS_APP_ID=from-file',
      '',
    ].join('\n'),
  );
  const env = readEnv(file, { TEAMS_APP_ID: 'from-environment' });
  expect(env).toMatchObject({
    BOT_DOMAIN: 'bot.example.com',
    DEVELOPER_NAME: 'Contoso, Ltd.',
    APP_VERSION: '2.0.1',
    TEAMS_APP_ID: 'from-environment',
  });
  expect(readEnv(path.join(dir, 'missing.env'), { A: '1' })).toEqual({ A: '1' });
  fs.rmSync(dir, { recursive: true, force: true });
});
