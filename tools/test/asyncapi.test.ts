import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { eventTypes, registry, toKafkaMessage, createEvent, Topics, renderAsyncApi } from '@solar/contracts';
import { samples, sampleSource } from '../../contracts/test/samples';
import { repoRoot } from '../src/service-configs';

const file = path.join(repoRoot, 'docs', 'asyncapi.yaml');

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document (no errors, no warnings)', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'));
    // severity: 0 error, 1 warning, 2 information, 3 hint
    const problems = diagnostics.filter((diagnostic) => Number(diagnostic.severity) <= 1).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('lists every topic of contracts as a channel, with exactly its events', async () => {
    const { document } = await new Parser().parse(readFileSync(file, 'utf8'));
    const channels = new Map(
      document!
        .channels()
        .all()
        .map((channel) => [channel.address(), channel]),
    );
    expect([...channels.keys()].sort()).toEqual(Object.values(Topics).sort());
    for (const topic of Object.values(Topics)) {
      const expected = eventTypes.filter((name) => registry[name].topic === topic);
      const listed = channels
        .get(topic)!
        .messages()
        .all()
        .map((message) => message.name());
      expect(listed.sort()).toEqual([...expected].sort());
    }
  });

  it('lists every event with its CloudEvents type and a send operation', async () => {
    const { document } = await new Parser().parse(readFileSync(file, 'utf8'));
    const messages = document!.components().messages().all();
    expect(messages.map((message) => message.name()).sort()).toEqual([...eventTypes].sort());
    const sent = new Set(
      document!
        .operations()
        .all()
        .flatMap((operation) =>
          operation
            .messages()
            .all()
            .map((message) => message.name()),
        ),
    );
    expect([...sent].sort()).toEqual([...eventTypes].sort());
  });

  // The document is only useful if what the services really put on the wire matches it.
  it.each(eventTypes)('describes %s as it travels: its headers and value validate against the document', (name) => {
    const sample = samples[name];
    const event = createEvent(name, { source: sampleSource(name), subject: sample.subject, data: sample.data });
    const wire = toKafkaMessage(event);
    const message = (renderAsyncApi().components as { messages: Record<string, { headers: object; payload: object }> }).messages[name]!;
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    const headersValid = ajv.validate(message.headers, wire.headers);
    expect(ajv.errors ?? []).toEqual([]);
    expect(headersValid).toBe(true);
    expect(ajv.validate(message.payload, JSON.parse(wire.value))).toBe(true);
    expect(ajv.errors ?? []).toEqual([]);
  });
});
