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

/** `npm run teams:validate [-- file]`: checks a filled manifest (default appPackage/build/manifest.json). */
if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '../../appPackage/build/manifest.json'));
  validateManifest(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
    .then((errors) => {
      if (errors.length) {
        console.error(`${file} does not match its schema:\n  ${errors.join('\n  ')}`);
        process.exit(1);
      }
      console.log(
        `${file} matches the Teams manifest schema ${String(JSON.parse(fs.readFileSync(file, 'utf8')).manifestVersion)}`,
      );
    })
    .catch((err: Error) => {
      console.error(`Cannot validate ${file}: ${err.message}`);
      process.exit(1);
    });
}
