import fs from 'node:fs';
import path from 'node:path';

export const APP_PACKAGE_DIR = path.resolve(__dirname, '../../appPackage');

/**
 * appPackage/manifest.json, in the Microsoft 365 Agents Toolkit's layout: `${{VAR}}`
 * placeholders that the Toolkit's teamsApp/zipAppPackage fills from env/.env.<env>, and
 * that `npm run teams:package` fills from .env and the environment.
 */
export const MANIFEST_FILE = path.join(APP_PACKAGE_DIR, 'manifest.json');

/** Values the manifest falls back to (env/.env.local and env/.env.dev repeat them for the Toolkit). */
export const MANIFEST_DEFAULTS: Readonly<Record<string, string>> = {
  APP_VERSION: '1.0.0',
  DEVELOPER_NAME: 'Partner Onboarding project',
  DEVELOPER_WEBSITE_URL: 'https://www.alibabacloud.com/partner',
  DEVELOPER_PRIVACY_URL:
    'https://www.alibabacloud.com/help/legal/latest/alibaba-cloud-international-website-privacy-policy',
  DEVELOPER_TERMS_URL:
    'https://www.alibabacloud.com/help/legal/latest/alibaba-cloud-international-website-product-terms-of-service',
};

/** Every variable the packaging script reads (.env.example lists them). */
export const PACKAGE_VARIABLES: readonly string[] = [
  'MicrosoftAppId',
  'BOT_ID',
  'BOT_DOMAIN',
  'TEAMS_APP_ID',
  ...Object.keys(MANIFEST_DEFAULTS),
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ManifestError extends Error {}

/** The `${{VAR}}` names a manifest text uses. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]))];
}

/**
 * The Teams manifest filled from the environment: the bot id is the Azure Bot's app id
 * (MicrosoftAppId, or BOT_ID as the Toolkit names it), the Teams app id defaults to it,
 * and the valid domain is where the bot is hosted.
 */
export function buildManifest(env: Record<string, string | undefined>): Record<string, unknown> {
  const values: Record<string, string> = { ...MANIFEST_DEFAULTS };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') values[k] = v.trim();
  if (values.MicrosoftAppId && values.BOT_ID && values.MicrosoftAppId !== values.BOT_ID)
    throw new ManifestError('MicrosoftAppId and BOT_ID are both set, to different values: keep one');
  const idName = values.MicrosoftAppId ? 'MicrosoftAppId' : 'BOT_ID';
  values.BOT_ID ??= values.MicrosoftAppId;
  const missing = [values.BOT_ID ? '' : 'MicrosoftAppId', values.BOT_DOMAIN ? '' : 'BOT_DOMAIN'].filter(
    Boolean,
  );
  if (missing.length) throw new ManifestError(`set ${missing.join(' and ')} (in .env or the environment)`);
  if (!GUID.test(values.BOT_ID)) throw new ManifestError(`${idName}: expected the Azure Bot app id, a GUID`);
  values.TEAMS_APP_ID ??= values.BOT_ID;
  if (!GUID.test(values.TEAMS_APP_ID)) throw new ManifestError('TEAMS_APP_ID: expected a GUID');
  values.BOT_DOMAIN = values.BOT_DOMAIN.replace(/^https?:\/\//, '').replace(/\/.*$/, '');

  const template = fs.readFileSync(MANIFEST_FILE, 'utf8');
  const filled = template.replace(/\$\{\{(\w+)\}\}/g, (_m, key: string) => {
    if (values[key] === undefined)
      throw new ManifestError(`the manifest uses \${{${key}}}, which is not set`);
    return JSON.stringify(values[key]).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** A language file the manifest names (localizationInfo), as Teams reads it from the package. */
export interface LanguageFile {
  languageTag: string;
  file: string;
  strings: Record<string, unknown>;
}

/**
 * The language files of a manifest (appPackage/zh-cn.json for zh-cn): Teams shows the app's
 * name, description and command menu in the client's language from them. They hold no
 * `${{VAR}}` placeholders, so they go into the package as they are.
 */
export function languageFiles(manifest: Record<string, unknown>): LanguageFile[] {
  const info = manifest.localizationInfo as
    | { defaultLanguageFile?: string; additionalLanguages?: { languageTag: string; file: string }[] }
    | undefined;
  return (info?.additionalLanguages ?? []).map(({ languageTag, file }) => {
    const full = path.resolve(APP_PACKAGE_DIR, file);
    if (path.dirname(full) !== APP_PACKAGE_DIR || !fs.existsSync(full))
      throw new ManifestError(`localizationInfo names ${file}, which is not a file in appPackage/`);
    return {
      languageTag,
      file,
      strings: JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>,
    };
  });
}
