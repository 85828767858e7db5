import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromKafkaMessage, isEvent } from '@solar/contracts';
import { createLogger, type OutgoingRecord } from '@solar/chassis';
import { bounceRateWebhook, deliveryAlerts } from './delivery-alerts';
import type { DeliveryAlert } from './delivery-monitor';

const logger = createLogger({ service: 'test', level: 'silent' });
const alert: DeliveryAlert = {
  provider: 'smtp',
  windowStart: '2026-03-01T09:46:00.000Z',
  windowEnd: '2026-03-01T10:00:00.000Z',
  attempted: 20,
  failed: 4,
  failureRate: 0.2,
  threshold: 0.05,
};

let server: Server;
let url: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let answer = 204;
let hang = false;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- http.Server ignores the promise; a broken fake surfaces as an unhandled rejection
  server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
    if (hang) return;
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-token`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  answer = 204;
  hang = false;
});

function publisher(failures = 0) {
  const sent: OutgoingRecord[][] = [];
  let left = failures;
  return {
    sent,
    send: async (records: OutgoingRecord[]) => {
      sent.push(records);
      if (left-- > 0) throw new Error('broker not available');
    },
  };
}

const clock = () => new Date('2026-03-01T10:00:00Z');

describe('deliveryAlerts', () => {
  it('publishes EmailDeliveryDegraded keyed by provider and posts the same figures to the webhook', async () => {
    const kafka = publisher();
    await deliveryAlerts({ publisher: kafka, logger, clock, webhookUrl: url, webhookTimeoutMs: 1_000 }).raise('degraded', alert);

    const [record] = kafka.sent[0]!;
    expect(record).toMatchObject({ topic: 'notification.deliveries.v1', key: 'smtp' });
    const event = fromKafkaMessage(record!);
    if (!isEvent(event, 'EmailDeliveryDegraded')) throw new Error(`unexpected ${event.type}`);
    expect(event.data).toEqual(alert);
    expect(received).toEqual([
      {
        path: '/hooks/secret-token',
        body: { type: 'EmailDeliveryDegraded', id: event.id, time: event.time, text: expect.stringContaining('degraded'), ...alert },
      },
    ]);
  });

  it('announces recovery with EmailDeliveryRecovered', async () => {
    const kafka = publisher();
    await deliveryAlerts({ publisher: kafka, logger, clock, webhookUrl: url, webhookTimeoutMs: 1_000 }).raise('recovered', {
      ...alert,
      failed: 0,
      failureRate: 0,
    });

    expect(isEvent(fromKafkaMessage(kafka.sent[0]![0]!), 'EmailDeliveryRecovered')).toBe(true);
    expect(received[0]!.body).toMatchObject({ type: 'EmailDeliveryRecovered', failed: 0 });
  });

  it('retries the publication a few times under one event id, then gives up without throwing', async () => {
    const kafka = publisher(10);
    const alerts = deliveryAlerts({ publisher: kafka, logger, clock, webhookTimeoutMs: 1_000, publishAttempts: 3, publishRetryDelayMs: 1 });

    await expect(alerts.raise('degraded', alert)).resolves.toBeUndefined();
    expect(kafka.sent).toHaveLength(3);
    expect(new Set(kafka.sent.map(([record]) => record!.headers.ce_id)).size).toBe(1);
  });

  it('posts once, with a timeout, and survives a webhook that refuses or hangs', async () => {
    const kafka = publisher();
    answer = 500;
    await deliveryAlerts({ publisher: kafka, logger, clock, webhookUrl: url, webhookTimeoutMs: 1_000 }).raise('degraded', alert);
    expect(received).toHaveLength(1);

    // The webhook never answers: raise returns only because its timeout fired.
    hang = true;
    await deliveryAlerts({ publisher: kafka, logger, clock, webhookUrl: url, webhookTimeoutMs: 200 }).raise('degraded', alert);
    expect(received).toHaveLength(2);
    expect(kafka.sent).toHaveLength(2);
  });

  it('posts nothing when no webhook is configured', async () => {
    await deliveryAlerts({ publisher: publisher(), logger, clock, webhookTimeoutMs: 1_000 }).raise('degraded', alert);
    expect(received).toEqual([]);
  });
});

describe('bounceRateWebhook', () => {
  it('posts the bounce-rate figures with a readable text when the rate goes over, and when it is back', async () => {
    const post = bounceRateWebhook({ webhookUrl: url, webhookTimeoutMs: 1_000, logger });
    const figures = {
      windowStart: '2026-03-01T00:00:00.000Z',
      windowEnd: '2026-03-02T00:00:00.000Z',
      sent: 200,
      bounced: 20,
      bounceRate: 0.1,
      threshold: 0.05,
    };
    await post('high', figures);
    await post('recovered', { ...figures, bounced: 2, bounceRate: 0.01 });
    expect(received.map((r) => [r.path, r.body.type, r.body.bounceRate])).toEqual([
      ['/hooks/secret-token', 'EmailBounceRateHigh', 0.1],
      ['/hooks/secret-token', 'EmailBounceRateRecovered', 0.01],
    ]);
    expect(received[0]!.body.text).toMatch(/10\.0%.*over its limit of 5\.0%/);
  });
});
