/**
 * What the register → email pipeline is made of, measured raw in the same run: a kafkajs produce
 * (acks from all replicas, as the services' producers send) → consume round trip on the same broker, and
 * an SMTP send to the same Mailpit with nodemailer, pooled as notification's SMTP provider is.
 */
import { Kafka, logLevel } from 'kafkajs';
import nodemailer from 'nodemailer';
import { ensureTopics } from '@solar/chassis';
import { percentile } from './load';
import type { Percentiles } from './figures';

export async function kafkaRoundTrip(brokers: string[], topic: string, count: number): Promise<Percentiles> {
  const kafka = new Kafka({ brokers, clientId: 'bench-round-trip', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [topic], 1);
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: topic });
  await Promise.all([producer.connect(), consumer.connect()]);
  const waiting = new Map<string, () => void>();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => waiting.get(String(message.key))?.() });
  const send = (key: string) =>
    new Promise<void>((resolve, reject) => {
      waiting.set(key, resolve);
      producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify({ key, at: Date.now() }) }] }).catch(reject);
    });
  // The first message waits for the group to form; it is not a round trip.
  await send('warm-up');
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await send(String(i));
    samples.push(performance.now() - started);
  }
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}

export async function smtpSend(host: string, port: number, count: number, label: string): Promise<Percentiles> {
  const transport = nodemailer.createTransport({ host, port, secure: false, pool: true, maxConnections: 5 });
  const send = (i: number) =>
    transport.sendMail({
      from: 'bench@bench.test',
      to: `smtp-${i}.${label}@bench.test`,
      subject: 'raw SMTP send',
      text: 'A raw send, timed.',
    });
  await send(-1);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await send(i);
    samples.push(performance.now() - started);
  }
  transport.close();
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}
