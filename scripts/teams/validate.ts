import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { schemaFor } from './manifest';

/**
 * Validates a Teams manifest against the JSON schema (draft-04) that @microsoft/app-manifest
 * ships for its manifestVersion, offline. Returns readable errors, none when valid.
 */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(schemaFor(String(manifest.manifestVersion)));
  if (check(manifest)) return [];
  return (check.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}
