import { kafkaSecurity } from './kafka';

describe('kafkaSecurity', () => {
  it('is plaintext without credentials by default, as the local brokers are', () => {
    expect(kafkaSecurity({})).toEqual({});
    expect(kafkaSecurity({ KAFKA_SSL: false })).toEqual({});
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('turns on TLS and SASL %s with the service principal', (mechanism) => {
    expect(
      kafkaSecurity({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'notification', KAFKA_SASL_PASSWORD: 'pw' }),
    ).toEqual({ ssl: true, sasl: { mechanism, username: 'notification', password: 'pw' } });
  });

  it('refuses a mechanism without both credentials, and credentials without a mechanism', () => {
    expect(() => kafkaSecurity({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'identity' })).toThrow(/KAFKA_SASL_PASSWORD/);
    expect(() => kafkaSecurity({ KAFKA_SASL_USERNAME: 'identity', KAFKA_SASL_PASSWORD: 'pw' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});
