import { z } from 'zod';
import { dataExportJsonSchemas } from './data-export/archive';
import { eventTypes, registry, type EventType } from './registry';

/**
 * Base of every schema's `$id` and of the CloudEvents `dataschema` attribute, which must be an
 * absolute URI. It is an identifier: the path after it is the file's path under contracts/schemas/.
 */
export const SCHEMA_BASE_URI = 'https://schemas.solar-intelligence.com/events/';

/** e.g. 'identity.user.v1/UserRegistered.v1.json' */
function schemaFileName(name: EventType): string {
  const { type, topic } = registry[name];
  const version = type.slice(type.lastIndexOf('.') + 1);
  return `${topic}/${name}.${version}.json`;
}

/** Path of an event's JSON Schema file relative to the contracts package, e.g. 'schemas/identity.user.v1/UserRegistered.v1.json'. */
export function schemaPath(name: EventType): string {
  return `schemas/${schemaFileName(name)}`;
}

export function schemaUri(name: EventType): string {
  return SCHEMA_BASE_URI + schemaFileName(name);
}

/**
 * The JSON Schema of an event's data. It describes input, what a consumer must accept: fields with
 * a default are optional and unknown properties are allowed, whereas io 'output' would mark
 * objects `additionalProperties: false` and so forbid the compatible evolution the zod schemas allow.
 */
export function renderJsonSchema(name: EventType): string {
  const { schema, description } = registry[name];
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  const document = {
    $schema: generated.$schema,
    $id: schemaUri(name),
    title: name,
    description,
    ...generated,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Where the JSON Schema of a data-export archive's file is published, e.g. 'schemas/data-export/identity.json'. */
const dataExportSchemaPath = (file: string) => `schemas/data-export/${file}`;

/** Every event's JSON Schema file and the data-export archive's, keyed by path relative to the contracts package, in path order. */
export function renderJsonSchemas(): Map<string, string> {
  const events = eventTypes.map((name) => [schemaPath(name), renderJsonSchema(name)] as const);
  const archive = Object.entries(dataExportJsonSchemas()).map(([file, schema]) => {
    const document = {
      $id: `https://schemas.solar-intelligence.com/data-export/${file}`,
      title: `Data export: ${file}`,
      ...(schema as object),
    };
    return [dataExportSchemaPath(file), `${JSON.stringify(document, null, 2)}\n`] as const;
  });
  const files = [...events, ...archive].sort(([a], [b]) => (a < b ? -1 : 1));
  return new Map(files);
}
