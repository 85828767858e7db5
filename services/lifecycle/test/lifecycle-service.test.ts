import { mongoUrlFor, testInfra, uniqueName, waitFor } from '@solar/chassis/testing';
import { createLifecycleService } from '../src/main';

const infra = testInfra();
const name = uniqueName('lifecycle');

describe('lifecycle service', () => {
  it('starts on its own database, reports ready, and drains on stop', async () => {
    const service = createLifecycleService({
      LOG_LEVEL: 'error',
      HOST: '127.0.0.1',
      PORT: '0',
      KAFKA_BROKERS: infra.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: `${name}.`,
      MONGO_URL: mongoUrlFor(infra, `${name}-lifecycle`),
    });
    const { port, metricsPort } = await service.start();
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      // The checks themselves are on the metrics port only.
      const detailed = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
      expect(await detailed.json()).toMatchObject({ ready: true, checks: { mongo: { status: 'up', critical: true } } });
      // The producer connects in the background; once it has, readiness says so.
      await waitFor(
        async () => {
          const body = (await (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).json()) as { checks: { kafka?: { status: string } } };
          return body.checks.kafka?.status === 'up' ? true : undefined;
        },
        { what: 'the Kafka producer to connect' },
      );
    } finally {
      await service.stop();
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
