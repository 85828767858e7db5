import { samples, sampleSource } from '../test/samples';
import {
  createEvent,
  fromKafkaMessage,
  isEvent,
  toKafkaMessage,
  topicOf,
  type AnyCloudEvent,
  type IncomingKafkaMessage,
} from './cloudevents';
import { ContractViolation, type ContractViolationCode } from './contract-violation';
import { schemaUri } from './json-schema';
import { eventTypes, registry, type EventType } from './registry';
import { Topics } from './topics';

function sampleEvent<K extends EventType>(name: K) {
  const { subject, data } = samples[name];
  return createEvent(name, { source: sampleSource(name), subject, data });
}

function registered() {
  return createEvent('UserRegistered', {
    source: '/identity',
    subject: 'u1',
    data: { userId: 'u1', email: 'ada@example.com', roles: ['user'], registrationMode: 'open' },
    id: '0b7f4c1e-34a4-4f4e-9c1a-2d1f0e6b9a10',
    time: new Date('2025-06-01T12:00:00Z'),
  });
}

function violationCode(read: () => unknown): ContractViolationCode | 'no violation' {
  try {
    read();
    return 'no violation';
  } catch (error) {
    if (error instanceof ContractViolation) return error.code;
    throw error;
  }
}

function withHeaders(headers: IncomingKafkaMessage['headers']): IncomingKafkaMessage {
  const message = toKafkaMessage(registered());
  return { ...message, headers: { ...message.headers, ...headers } };
}

describe('createEvent', () => {
  it('fills the CloudEvents attributes', () => {
    const event = createEvent('EmailVerified', { source: '/identity', subject: 'u1', data: { userId: 'u1', email: 'ada@example.com' } });

    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/identity',
      type: 'com.solar-intelligence.identity.EmailVerified.v1',
      subject: 'u1',
      datacontenttype: 'application/json',
      dataschema: schemaUri('EmailVerified'),
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(event.time)).not.toBeNaN();
  });

  it('keeps a given id and time', () => {
    const event = registered();

    expect(event.id).toBe('0b7f4c1e-34a4-4f4e-9c1a-2d1f0e6b9a10');
    expect(event.time).toBe('2025-06-01T12:00:00.000Z');
  });

  it('infers the data type from the event name', () => {
    const email: string = registered().data.email;
    expect(email).toBe('ada@example.com');
    const build = () =>
      createEvent('UserRegistered', {
        source: '/identity',
        subject: 'u1',
        // @ts-expect-error: registrationMode is 'open' | 'waitlist'
        data: { userId: 'u1', email: 'ada@example.com', roles: [], registrationMode: 'closed' },
      });
    expect(violationCode(build)).toBe('invalid_data');
  });

  it('applies defaults, so consumers see the parsed data', () => {
    const event = createEvent('EmailRequested', {
      source: '/identity',
      subject: 'u1',
      data: { template: 'verify-email', to: 'ada@example.com', variables: {} },
    });

    expect(event.data.locale).toBe('en');
  });

  it('rejects invalid data with the offending paths', () => {
    const build = () =>
      createEvent('DeletionRequested', {
        source: '/identity',
        subject: 'u1',
        data: { userId: 'u1', email: 'not-an-email', deletionRequestId: 'd1', purgeAt: 'tomorrow' },
      });

    expect(violationCode(build)).toBe('invalid_data');
    expect(build).toThrow(/invalid data for DeletionRequested: email: .*; purgeAt: /);
  });

  it('rejects an empty subject, which would be an empty Kafka key', () => {
    const build = () =>
      createEvent('DeletionCancelled', { source: '/identity', subject: '', data: { userId: 'u1', deletionRequestId: 'd1' } });

    expect(violationCode(build)).toBe('invalid_headers');
  });
});

describe('toKafkaMessage', () => {
  it('maps attributes to ce_ headers and data to the value (binary content mode)', () => {
    const event = registered();

    expect(toKafkaMessage(event)).toEqual({
      key: 'u1',
      value: JSON.stringify(event.data),
      headers: {
        ce_specversion: '1.0',
        ce_id: '0b7f4c1e-34a4-4f4e-9c1a-2d1f0e6b9a10',
        ce_source: '/identity',
        ce_type: 'com.solar-intelligence.identity.UserRegistered.v1',
        ce_time: '2025-06-01T12:00:00.000Z',
        ce_subject: 'u1',
        ce_dataschema: 'https://schemas.solar-intelligence.com/events/identity.user.v1/UserRegistered.v1.json',
        'content-type': 'application/json',
      },
    });
  });

  it('omits ce_dataschema when the event has none', () => {
    const { dataschema: _omitted, ...event } = registered();

    expect(toKafkaMessage(event).headers).not.toHaveProperty('ce_dataschema');
  });
});

describe('fromKafkaMessage', () => {
  it.each(eventTypes)('reads back what toKafkaMessage wrote for %s', (name) => {
    const event = sampleEvent(name);

    expect(fromKafkaMessage(toKafkaMessage(event))).toEqual(event);
  });

  it.each(eventTypes)('tolerates unknown data fields in %s (forward compatibility)', (name) => {
    const event = sampleEvent(name);
    const message = toKafkaMessage(event);
    const value = JSON.stringify({ ...JSON.parse(message.value), addedInALaterRelease: { nested: true } });

    expect(fromKafkaMessage({ ...message, value }).data).toEqual(event.data);
  });

  it('reads Buffer headers, single-element header arrays and a Buffer value, as kafkajs delivers them', () => {
    const message = toKafkaMessage(registered());
    const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, [Buffer.from(value)]]));

    const event = fromKafkaMessage({ key: Buffer.from(message.key), value: Buffer.from(message.value), headers });

    expect(event).toEqual(registered());
  });

  it('returns a union that isEvent narrows', () => {
    const event: AnyCloudEvent = fromKafkaMessage(toKafkaMessage(registered()));

    expect(isEvent(event, 'UserDeleted')).toBe(false);
    if (!isEvent(event, 'UserRegistered')) throw new Error('expected UserRegistered');
    expect(event.data.registrationMode).toBe('open');
  });

  it('narrows on type in a switch too', () => {
    const event = fromKafkaMessage(toKafkaMessage(registered()));
    switch (event.type) {
      case registry.UserRegistered.type:
        expect(event.data.roles).toEqual(['user']);
        break;
      default:
        throw new Error(`unexpected ${event.type}`);
    }
  });

  it('accepts a content-type with parameters and a missing content-type', () => {
    expect(violationCode(() => fromKafkaMessage(withHeaders({ 'content-type': 'application/json; charset=utf-8' })))).toBe('no violation');
    expect(violationCode(() => fromKafkaMessage(withHeaders({ 'content-type': undefined })))).toBe('no violation');
  });

  it.each<[string, IncomingKafkaMessage['headers'], ContractViolationCode]>([
    ['an unknown type', { ce_type: 'com.solar-intelligence.identity.UserRegistered.v9' }, 'unknown_event_type'],
    ['another spec version', { ce_specversion: '0.3' }, 'invalid_headers'],
    ['a missing id', { ce_id: undefined }, 'invalid_headers'],
    ['a missing subject', { ce_subject: undefined }, 'invalid_headers'],
    ['a time that is not RFC 3339', { ce_time: 'yesterday' }, 'invalid_headers'],
    ['structured content mode', { 'content-type': 'application/cloudevents+json' }, 'invalid_headers'],
    ['a repeated attribute header', { ce_id: ['a', 'b'] }, 'invalid_headers'],
  ])('rejects %s', (_case, headers, code) => {
    expect(violationCode(() => fromKafkaMessage(withHeaders(headers)))).toBe(code);
  });

  it('rejects a value that is not JSON without quoting it', () => {
    const read = () => fromKafkaMessage({ ...toKafkaMessage(registered()), value: '{"token":"s3cret"' });

    expect(violationCode(read)).toBe('invalid_json');
    expect(read).toThrow('message value is not valid JSON');
  });

  it('rejects a message without a value', () => {
    expect(violationCode(() => fromKafkaMessage({ ...toKafkaMessage(registered()), value: null }))).toBe('invalid_json');
  });

  it('rejects data that breaks the schema', () => {
    const message = { ...toKafkaMessage(registered()), value: JSON.stringify({ userId: 'u1', email: 'ada@example.com' }) };

    expect(violationCode(() => fromKafkaMessage(message))).toBe('invalid_data');
    expect(() => fromKafkaMessage(message)).toThrow(/roles: .*registrationMode: /);
  });
});

describe('topicOf', () => {
  it('gives the topic an event is published on', () => {
    expect(topicOf(registered())).toBe(Topics.identityUser);
    expect(topicOf(sampleEvent('EmailRequested'))).toBe(Topics.notificationEmailRequests);
  });
});
