import fs from 'node:fs';
import path from 'node:path';
import commands from '../../dialogs/helpers/commands.json';
import en from '../../src/i18n/en.json';

export const APP_PACKAGE_DIR = path.resolve(__dirname, '../../appPackage');

/** Settings the manifest needs; MicrosoftAppId and BOT_DOMAIN have no default. */
const DEFAULTS: Record<string, string> = {
  APP_VERSION: '1.0.0',
  DEVELOPER_NAME: 'Partner Onboarding project',
  DEVELOPER_WEBSITE_URL: 'https://www.alibabacloud.com/partner',
  DEVELOPER_PRIVACY_URL:
    'https://www.alibabacloud.com/help/legal/latest/alibaba-cloud-international-website-privacy-policy',
  DEVELOPER_TERMS_URL:
    'https://www.alibabacloud.com/help/legal/latest/alibaba-cloud-international-website-product-terms-of-service',
};
const REQUIRED = ['MicrosoftAppId', 'BOT_DOMAIN'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ManifestError extends Error {}

/**
 * The Teams manifest from appPackage/manifest.template.json and the environment: the bot
 * id is the Azure Bot's MicrosoftAppId, the app id defaults to it, the valid domain is
 * where the bot is hosted, and the command menu is the bot's own command list.
 */
export function buildManifest(env: Record<string, string | undefined>): Record<string, unknown> {
  const values: Record<string, string> = { ...DEFAULTS };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') values[k] = v.trim();
  const missing = REQUIRED.filter((k) => !values[k]);
  if (missing.length) throw new ManifestError(`set ${missing.join(' and ')} (in .env or the environment)`);
  if (!GUID.test(values.MicrosoftAppId))
    throw new ManifestError('MicrosoftAppId: expected the Azure Bot app id, a GUID');
  values.TEAMS_APP_ID ??= values.MicrosoftAppId;
  if (!GUID.test(values.TEAMS_APP_ID)) throw new ManifestError('TEAMS_APP_ID: expected a GUID');
  values.BOT_DOMAIN = values.BOT_DOMAIN.replace(/^https?:\/\//, '').replace(/\/.*$/, '');

  const template = fs.readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.template.json'), 'utf8');
  const filled = template.replace(/\$\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (values[key] === undefined)
      throw new ManifestError(`the template uses \${{${key}}}, which is not set`);
    return JSON.stringify(values[key]).slice(1, -1);
  });
  const manifest = JSON.parse(filled) as { bots: { scopes: string[]; commandLists: unknown[] }[] };
  const help = en.help.menu as Record<string, string>;
  manifest.bots[0].commandLists = [
    {
      scopes: manifest.bots[0].scopes,
      commands: Object.keys(commands).map((title) => ({ title, description: help[title] })),
    },
  ];
  return manifest as unknown as Record<string, unknown>;
}

/** The JSON schema that @microsoft/app-manifest ships for this manifest version: validation stays offline. */
export function schemaFor(manifestVersion: string): object {
  const file = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );
  return JSON.parse(fs.readFileSync(file, 'utf8')) as object;
}
