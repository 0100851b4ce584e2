import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApi } from '../../src/workflow/openapi';
import { TRANSITIONS } from '../../src/workflow/machine';
import { withDiagram } from '../../src/workflow/stateDiagram';
import { openStore } from '../../src/db/database';
import { tempSqlite } from '../support/databases';

describe('artefacts derived from the machine table', () => {
  test('the README shows the diagram of the current table', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    // If this fails, run `npm run state-diagram`.
    expect(withDiagram(readme)).toBe(readme);
    for (const t of TRANSITIONS) expect(readme).toContain(`: ${t.action} (`);
  });

  test('the OpenAPI document has every action with its payload schema', () => {
    const doc = buildOpenApi() as any;
    for (const t of TRANSITIONS.filter((x) => x.action !== 'register')) {
      const op = doc.paths[`/applications/{id}/actions/${t.action}`].post;
      expect(op.responses).toHaveProperty('422');
      expect(op.requestBody.content['application/json'].schema.required).toContain('expectedVersion');
    }
    const reject =
      doc.paths['/applications/{id}/actions/reject'].post.requestBody.content['application/json'].schema;
    expect(reject.properties.payload.required).toEqual(['reason']);
    expect(doc.paths['/applications'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['companyName', 'mainUid', 'contactEmail']),
    );
  });
});

test('the unused people table is gone after the migrations, on a fresh store', async () => {
  const db = tempSqlite();
  const store = await openStore(db.url);
  try {
    const tables = await store.db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('people');
    expect(tables.map((t) => t.name)).toContain('applications');
  } finally {
    await store.close();
    await db.drop();
  }
});
