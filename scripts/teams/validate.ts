import fs from 'node:fs';
import path from 'node:path';
import type { AppManifest } from '@microsoft/app-manifest';

/** Where @microsoft/app-manifest keeps the Teams schema of one manifest version. */
export function bundledSchemaFile(manifestVersion: string): string {
  return path.join(
    path.dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );
}

/**
 * Validates a Teams manifest with @microsoft/app-manifest's own validator, offline: the
 * package loads a schema URL it ships from disk (it would fetch any other), so a version
 * it does not ship is refused here instead of reaching for the network.
 * Returns readable errors, none when valid.
 */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion);
  if (!fs.existsSync(bundledSchemaFile(version)))
    return [`/manifestVersion ${version}: @microsoft/app-manifest ships no schema for it`];
  // Loaded here, not at the top: it require()s an ES module (strip-bom), which Node 20.19+
  // loads but Jest cannot, so tests run this file as the command it is.
  const { AppManifestUtils } = await import('@microsoft/app-manifest');
  const schema = await AppManifestUtils.fetchSchema(
    `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
}

/** The Teams schema of a manifest version's language files, as the package ships it. */
function localizationSchemaFile(manifestVersion: string): string {
  return path.join(
    path.dirname(bundledSchemaFile(manifestVersion)),
    'MicrosoftTeams.Localization.schema.json',
  );
}

/**
 * Validates one language file (localizationInfo) against the localization schema of the
 * manifest's version, offline, with the package's own validator. The shipped schema has
 * property patterns with an unescaped "]" (`\b]` in activities.activityTypes[…]), which is
 * not a regular expression under the `u` flag the validator compiles with: that "]" is
 * escaped first, which matches the same names.
 */
export async function validateLanguageFile(
  strings: Record<string, unknown>,
  manifestVersion: string,
): Promise<string[]> {
  if (!fs.existsSync(localizationSchemaFile(manifestVersion)))
    return [
      `/manifestVersion ${manifestVersion}: @microsoft/app-manifest ships no localization schema for it`,
    ];
  const { AppManifestUtils } = await import('@microsoft/app-manifest');
  const schema = (await AppManifestUtils.fetchSchema(
    `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.Localization.schema.json`,
  )) as { patternProperties?: Record<string, unknown> };
  schema.patternProperties = Object.fromEntries(
    Object.entries(schema.patternProperties ?? {}).map(([pattern, rule]) => [
      pattern.replaceAll('\\b]', '\\b\\]'),
      rule,
    ]),
  );
  return AppManifestUtils.validateAgainstSchema(strings as unknown as AppManifest, schema as never);
}

/**
 * `npm run teams:validate [-- file]`: checks a filled manifest (default appPackage/build/manifest.json),
 * or a language file (its $schema names the localization schema of a version).
 */
if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '../../appPackage/build/manifest.json'));
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const language = String(json.$schema ?? '').match(
    /teams\/v([\d.]+)\/MicrosoftTeams\.Localization\.schema\.json$/,
  );
  (language ? validateLanguageFile(json, language[1]) : validateManifest(json))
    .then((errors) => {
      if (errors.length) {
        console.error(`${file} does not match its schema:\n  ${errors.join('\n  ')}`);
        process.exit(1);
      }
      console.log(
        language
          ? `${file} matches the Teams localization schema ${language[1]}`
          : `${file} matches the Teams manifest schema ${String(json.manifestVersion)}`,
      );
    })
    .catch((err: Error) => {
      console.error(`Cannot validate ${file}: ${err.message}`);
      process.exit(1);
    });
}
