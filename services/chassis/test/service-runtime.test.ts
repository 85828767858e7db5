/**
 * serviceRuntime while Kafka is away at start: the start resolves, readiness reports the consumer
 * not joined (and not ready, the consumer being declared critical), and the consumer joins on its
 * own once a broker answers. "Away" is a closed port; "back" is a TCP relay opened on that port to
 * the real broker, whose metadata then points the client at the broker itself.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Topics } from '@solar/contracts';
import { serviceRuntime, type Service } from '@solar/chassis';
import { testInfra, uniqueName, waitFor } from '@solar/chassis/testing';

const infra = testInfra();
const GROUP = 'runtime-test';
let service: Service | undefined;
let relay: Server | undefined;
const sockets = new Set<Socket>();

afterAll(async () => {
  await service?.stop();
  for (const socket of sockets) socket.destroy();
  relay?.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Forwards every connection on `port` to the broker. */
async function relayToBroker(port: number): Promise<Server> {
  const [host = '127.0.0.1', brokerPort = '9092'] = (infra.kafkaBrokers.split(',')[0] ?? '').split(':');
  const server = createServer((client) => {
    const broker = connect(Number(brokerPort), host);
    for (const socket of [client, broker]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
    client.pipe(broker).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** The detailed readiness, on the metrics port (the API port's /readyz is status only). */
async function consumerCheck(port: number): Promise<{ ready: boolean; consumer: string | undefined }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  const body = (await response.json()) as { ready: boolean; checks: Record<string, { status: string }> };
  return { ready: body.ready, consumer: body.checks[`consumer:${GROUP}`]?.status };
}

it('starts while Kafka is away, is not ready until its critical consumer joins, then joins once Kafka is back', async () => {
  const kafkaPort = await closedPort();
  service = serviceRuntime({
    service: 'runtime-test',
    config: {
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: [`127.0.0.1:${kafkaPort}`],
      KAFKA_TOPIC_PREFIX: `${uniqueName('runtime')}.`,
      SHUTDOWN_TIMEOUT: 10_000,
      METRICS_PORT: 0,
      METRICS_HOST: '127.0.0.1',
    },
    listen: { port: 0, host: '127.0.0.1' },
    compose: () => ({
      features: [{ handlers: [async () => undefined] }],
      consumer: { group: GROUP, topics: [Topics.lifecycle], critical: true },
    }),
  });

  const { metricsPort: port = 0 } = await service.start();
  expect(await consumerCheck(port)).toEqual({ ready: false, consumer: 'down' });

  relay = await relayToBroker(kafkaPort);
  await waitFor(async () => ((await consumerCheck(port)).ready ? true : undefined), { timeoutMs: 60_000, what: 'the consumer to join' });
  expect(await consumerCheck(port)).toEqual({ ready: true, consumer: 'up' });
}, 90_000);
