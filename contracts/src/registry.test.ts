import { z } from 'zod';
import { eventNameOf, eventTypes, registry } from './registry';
import { isPublicTopic } from './topics';

describe('registry', () => {
  it.each(eventTypes)('names %s com.solar-intelligence.<producing service>.<name>.v<N>', (name) => {
    const { type, topic } = registry[name];
    const service = topic.split('.')[0];

    expect(type).toMatch(new RegExp(`^com\\.solar-intelligence\\.${service}\\.${name}\\.v\\d+$`));
  });

  it('maps every CloudEvents type back to exactly one event', () => {
    expect(eventTypes.map((name) => eventNameOf(registry[name].type))).toEqual(eventTypes);
  });

  it.each(eventTypes.filter((name) => isPublicTopic(registry[name].topic)))('keeps secrets out of public %s', (name) => {
    const names = propertyNames(z.toJSONSchema(registry[name].schema, { io: 'input' }));

    expect(names.filter((property) => /token|password|secret|hash/i.test(property))).toEqual([]);
  });
});

/** Every property name anywhere in a JSON Schema, nested objects and arrays included. */
function propertyNames(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(propertyNames);
  if (typeof schema !== 'object' || schema === null) return [];
  const own =
    'properties' in schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];
  return [...own, ...Object.values(schema).flatMap(propertyNames)];
}
