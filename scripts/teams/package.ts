import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import AdmZip from 'adm-zip';
import { APP_PACKAGE_DIR, buildManifest, languageFiles, ManifestError } from './manifest';
import { validateLanguageFile, validateManifest } from './validate';

/**
 * `npm run teams:package`: fills appPackage/manifest.json from .env (and the environment),
 * validates it and its language files (zh-cn.json) with @microsoft/app-manifest against the
 * schemas it ships (no network), and writes appPackage/build/appPackage.zip with manifest.json,
 * the language files and the two icons, ready to side-load.
 */
export async function packageApp(
  env: Record<string, string | undefined>,
  outDir = path.join(APP_PACKAGE_DIR, 'build'),
) {
  const manifest = buildManifest(env);
  const errors = await validateManifest(manifest);
  if (errors.length) throw new ManifestError(`manifest does not match its schema:\n  ${errors.join('\n  ')}`);
  const languages = languageFiles(manifest);
  for (const l of languages) {
    const problems = await validateLanguageFile(l.strings, String(manifest.manifestVersion));
    if (problems.length)
      throw new ManifestError(`${l.file} does not match its schema:\n  ${problems.join('\n  ')}`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  for (const l of languages) zip.addFile(l.file, Buffer.from(JSON.stringify(l.strings, null, 2)));
  for (const icon of ['color.png', 'outline.png']) zip.addLocalFile(path.join(APP_PACKAGE_DIR, icon));
  const file = path.join(outDir, 'appPackage.zip');
  zip.writeZip(file);
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { file, manifest };
}

/** .env read as `node --env-file` reads it (util.parseEnv); the real environment wins. */
export function readEnv(
  file = path.resolve(__dirname, '../../.env'),
  environment: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const fromFile = fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...environment };
}

/** `npm run teams:package [-- --env-file .env --out appPackage/build]` */
if (require.main === module) {
  const { values: args } = parseArgs({
    options: { 'env-file': { type: 'string' }, out: { type: 'string' } },
  });
  packageApp(
    readEnv(args['env-file'] ? path.resolve(args['env-file']) : undefined),
    args.out ? path.resolve(args.out) : undefined,
  )
    .then(({ file }) => console.log(`Teams app package written to ${file}`))
    .catch((err: Error) => {
      console.error(err instanceof ManifestError ? `Cannot package the Teams app: ${err.message}` : err);
      process.exit(1);
    });
}
