import { z } from 'zod';
import { ConfigError, baseConfigShape, duration, loadConfig, port } from './config';

const schema = z.object({ ...baseConfigShape, PORT: port(3000), GRACE: duration('30d') });

describe('loadConfig', () => {
  it('applies defaults and converts values', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'a:1, b:2' });
    expect(config).toMatchObject({ PORT: 3000, GRACE: 2_592_000_000, KAFKA_BROKERS: ['a:1', 'b:2'], KAFKA_TOPIC_PREFIX: '' });
  });

  it('fails naming every bad variable', () => {
    const attempt = () => loadConfig(schema, { PORT: 'eighty', GRACE: 'soon' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('KAFKA_BROKERS');
      expect(message).toContain('PORT');
      expect(message).toContain('GRACE: "soon" is not a duration');
    }
  });

  it('rejects a topic prefix that Kafka would refuse', () => {
    expect(() => loadConfig(schema, { KAFKA_BROKERS: 'a:1', KAFKA_TOPIC_PREFIX: 'a b' })).toThrow(/KAFKA_TOPIC_PREFIX/);
  });
});
