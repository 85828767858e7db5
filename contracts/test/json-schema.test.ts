import { findSchemaDrift } from '../scripts/schema-files';
import { renderJsonSchemas, schemaPath, schemaUri } from '../src/json-schema';
import { eventTypes } from '../src/registry';

describe('generated JSON Schema files', () => {
  it('match the zod schemas', () => {
    const { stale, orphaned } = findSchemaDrift();
    const problems = [
      ...stale.map((file) => `  stale or missing: contracts/${file}`),
      ...orphaned.map((file) => `  no event renders: contracts/${file}`),
    ];
    if (problems.length > 0) {
      throw new Error(
        `JSON Schema files are out of date; run \`npm run contracts:generate\` at the repository root.\n${problems.join('\n')}`,
      );
    }
  });

  it('render deterministically, one file per event and one per data-export archive file', () => {
    const rendered = renderJsonSchemas();

    expect(renderJsonSchemas()).toEqual(rendered);
    const archive = ['identity', 'lifecycle', 'notification', 'participant'].map((file) => `schemas/data-export/${file}.json`);
    expect([...rendered.keys()].sort()).toEqual([...eventTypes.map(schemaPath), ...archive].sort());
  });

  it.each(eventTypes)('identify %s by the URI events carry as dataschema', (name) => {
    const document = JSON.parse(renderJsonSchemas().get(schemaPath(name)) ?? '{}') as Record<string, unknown>;

    expect(document).toMatchObject({ $id: schemaUri(name), title: name });
    expect(document.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
