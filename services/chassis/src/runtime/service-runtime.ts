import type { Express } from 'express';
import type { Connection, mongo } from 'mongoose';
import type { Kafka } from 'kafkajs';
import type { AnyCloudEvent } from '@solar/contracts';
import type { Sealer } from '../crypto/sealer';
import { createHttpApp, type HttpAppOptions } from '../http/http-app';
import type { Health } from '../http/health';
import { listen, type RunningServer } from '../http/http-server';
import { EventConsumer, routeEvents, type ConsumerOptions, type EventHandler } from '../kafka/consumer';
import type { Publisher } from '../kafka/publisher';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { serveMetrics } from '../metrics/metrics-server';
import { connectMongo } from '../mongo/mongo';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter, type OutboxOptions } from '../outbox/outbox-writer';
import { retry, type BackoffPolicy } from '../retry/backoff';
import { runStopSteps, type Service, type StopStep } from './service';
import { serviceKit } from './service-kit';

/** The settings the runtime reads from every service's configuration. */
export interface RuntimeConfig {
  LOG_LEVEL: string;
  KAFKA_BROKERS?: string[] | undefined;
  KAFKA_CLIENT_ID?: string | undefined;
  KAFKA_TOPIC_PREFIX: string;
  KAFKA_SSL?: boolean;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
  SHUTDOWN_TIMEOUT: number;
  METRICS_PORT?: number | undefined;
  METRICS_HOST: string;
  OUTBOX_SWEEP_INTERVAL?: number;
  OUTBOX_SETTLE?: number;
}

/** What a composition root is handed once the runtime's own connections exist. */
export interface Runtime<C extends RuntimeConfig> {
  config: C;
  logger: Logger;
  health: Health;
  metrics: Metrics;
  clock: () => Date;
  publisher: Publisher;
  /** Aborted when the service starts stopping its consumers: long handlers give up and are redelivered. */
  stopping: AbortSignal;
  /**
   * The service's one outbox: a relay over the collections whose documents embed an `outbox` array,
   * started and stopped with the service, and the writer its repositories record events with.
   */
  outbox(collections: mongo.Collection<mongo.Document>[], sealer: Sealer, options?: OutboxOptions): OutboxWriter;
}

export interface MongoRuntime<C extends RuntimeConfig> extends Runtime<C> {
  db: Connection;
}

/** The service's consumer group; the handlers come from its features. */
export interface ConsumerDefinition {
  /** Base group name; its health check is `consumer:<group>`. */
  group: string;
  /** Base topic names from contracts. */
  topics: string[];
  /**
   * Whether readiness waits for the group to be joined. A service whose job is consuming says yes;
   * one that serves without it (the events wait in Kafka until it is back) says no.
   */
  critical: boolean;
  /** Retries of a failing handler; the consumer's default when absent. */
  retry?: BackoffPolicy;
}

/** Anything a service runs beside HTTP and its consumer: timers, schedulers, clients to close. */
export interface Worker {
  name: string;
  start?(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** What a feature folder hands its composition root to mount. */
export interface Feature {
  /** Added to the service's app, in the order the features are listed. */
  routes?: (app: Express) => void;
  /** Given every event of the service's consumer group. */
  handlers?: EventHandler[];
  /**
   * Whether its handlers act on this event. When every feature with handlers says, an event none
   * wants skips the consumer's processed-event read and write (EventConsumer's `wants`).
   */
  wants?: (event: AnyCloudEvent) => boolean | Promise<boolean>;
  workers?: Worker[];
}

/** The features' `wants` together; none when a feature with handlers does not say (it acts on anything). */
function wantedByAny(features: Feature[]): ConsumerOptions['wants'] {
  const handling = features.filter((feature) => (feature.handlers ?? []).length > 0);
  const wants = handling.flatMap((feature) => (feature.wants ? [feature.wants] : []));
  if (wants.length < handling.length) return undefined;
  return async (event) => {
    for (const wanted of wants) if (await wanted(event)) return true;
    return false;
  };
}

export interface Composition {
  http?: Omit<HttpAppOptions, 'logger' | 'health' | 'metrics' | 'routes'>;
  features: Feature[];
  consumer?: ConsumerDefinition;
  /** The service's own clients and timers, stopped after the features' workers. */
  workers?: Worker[];
}

interface RuntimeOptions<C extends RuntimeConfig> {
  service: string;
  config: C;
  /** Where the API listens; 0 for any free port (tests). */
  listen: { port: number; host: string };
  /** Base topic names the service publishes to; it reports its producer's health only if there are some. */
  publishes?: string[];
  logger?: Logger | undefined;
  clock?: (() => Date) | undefined;
}

/** Joining a group while Kafka is away: retried for as long as the service runs. */
const CONSUMER_START: BackoffPolicy = { attempts: Infinity, initialMs: 500, maxMs: 30_000 };

/**
 * The one skeleton of every service: connects its database (when it has one), lets the composition
 * root build its features on it, then starts the outbox relay, consumers and workers and listens for
 * HTTP and /metrics. Consumers join their groups in the background, with backoff, so a service
 * starts while Kafka is away; readiness reports each until it has joined, failing only for those
 * declared critical. `stop()` drains in one order: readiness, HTTP, consumers, workers, outbox relay,
 * producer, database, /metrics. A start that fails undoes what it had started.
 */
export function serviceRuntime<C extends RuntimeConfig>(
  options: RuntimeOptions<C> & { mongoUrl: string; compose: (runtime: MongoRuntime<C>) => Promise<Composition> | Composition },
): Service;
export function serviceRuntime<C extends RuntimeConfig>(
  options: RuntimeOptions<C> & { mongoUrl?: undefined; compose: (runtime: Runtime<C>) => Promise<Composition> | Composition },
): Service;
export function serviceRuntime<C extends RuntimeConfig>(
  options: RuntimeOptions<C> & { mongoUrl?: string; compose: (runtime: MongoRuntime<C>) => Promise<Composition> | Composition },
): Service {
  const { service, config, publishes = [] } = options;
  const { logger, health, metrics, kafka, publisher } = serviceKit({ service, config, publishes, logger: options.logger });
  const clock = options.clock ?? (() => new Date());
  const stopping = new AbortController();
  let running: Running = { workers: [] };
  const stop = async () => {
    const steps = stopStepsOf(running, { health, publisher, stopping, service, httpCloseMs: config.SHUTDOWN_TIMEOUT / 2 });
    running = { workers: [] };
    await runStopSteps(steps, logger);
  };

  /** Everything but the database the compose function is handed; `outbox` records the relay in `running`. */
  const base = {
    config,
    logger,
    health,
    metrics,
    clock,
    publisher,
    stopping: stopping.signal,
    outbox(collections: mongo.Collection<mongo.Document>[], sealer: Sealer, options: OutboxOptions = {}) {
      if (running.relay) throw new Error('a service has one outbox relay');
      const relay = new OutboxRelay({
        collections,
        publisher,
        sealer,
        logger,
        clock,
        sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL,
        settleMs: config.OUTBOX_SETTLE,
        metrics,
        ...(options.renderers ? { renderers: options.renderers } : {}),
      });
      running.relay = relay;
      return new OutboxWriter(relay, sealer, clock, options.prepare);
    },
  };

  const start = async () => {
    const db = options.mongoUrl === undefined ? undefined : await connectMongo(options.mongoUrl, { health, metrics });
    if (db) running.db = db;
    // The overloads hand `db` only to a compose function of a service that gave a Mongo URL.
    const runtime = { ...base, db: db as Connection };
    const parts = await options.compose(runtime);
    const { features } = parts;
    const app = createHttpApp({
      logger,
      health,
      metrics,
      ...parts.http,
      routes: (app) => {
        for (const feature of features) feature.routes?.(app);
      },
    });
    // Connecting early makes the producer's health true sooner; while Kafka is away the outbox keeps every event.
    if (publishes.length > 0) publisher.connect().catch(() => undefined);
    running.relay?.start();
    if (parts.consumer) {
      const handler = routeEvents(...features.flatMap((feature) => feature.handlers ?? []));
      const signal = stopping.signal;
      running.consumer = consumeInBackground({
        definition: parts.consumer,
        handler,
        wants: wantedByAny(features),
        kafka,
        db,
        publisher,
        logger,
        metrics,
        health,
        config,
        signal,
      });
    }
    for (const worker of [...features.flatMap((feature) => feature.workers ?? []), ...(parts.workers ?? [])]) {
      running.workers.push(worker);
      await worker.start?.();
    }
    running.server = await listen(app, options.listen.port, options.listen.host);
    running.metricsServer = await serveMetrics(metrics, config, options.listen.port, health);
    return { port: running.server.port, metricsPort: running.metricsServer.port };
  };

  return {
    async start() {
      try {
        return await start();
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}

/** What a start got as far as starting, so a stop (or a failed start) undoes exactly that. */
interface Running {
  db?: Connection;
  relay?: OutboxRelay;
  consumer?: { stop(): Promise<void> };
  workers: Worker[];
  server?: RunningServer;
  metricsServer?: RunningServer;
}

function stopStepsOf(
  running: Running,
  deps: { health: Health; publisher: Publisher; stopping: AbortController; service: string; httpCloseMs: number },
): StopStep[] {
  const { server, relay, db, metricsServer } = running;
  return [
    ['readiness', () => deps.health.startDraining()],
    ['http', () => server?.close(deps.httpCloseMs)],
    [
      'consumer',
      () => {
        deps.stopping.abort(new Error(`${deps.service} is stopping; unfinished events are redelivered`));
        return running.consumer?.stop();
      },
    ],
    ...running.workers.map((worker): StopStep => [worker.name, () => worker.stop()]),
    ['outbox relay', () => relay?.stop()],
    ['kafka producer', () => deps.publisher.stop()],
    ['mongo', () => db?.close()],
    ['metrics', () => metricsServer?.close(1_000)],
  ];
}

/** Starts a consumer without holding up the service: it retries joining until it is in or the service stops. */
function consumeInBackground(deps: {
  definition: ConsumerDefinition;
  handler: EventHandler;
  wants: ConsumerOptions['wants'];
  kafka: Kafka;
  db: Connection | undefined;
  publisher: Publisher;
  logger: Logger;
  metrics: Metrics;
  health: Health;
  config: RuntimeConfig;
  signal: AbortSignal;
}): { stop(): Promise<void> } {
  const { definition, logger, signal } = deps;
  const consumer = new EventConsumer({
    kafka: deps.kafka,
    group: definition.group,
    topicPrefix: deps.config.KAFKA_TOPIC_PREFIX,
    topics: definition.topics,
    handler: deps.handler,
    ...(deps.db ? { db: deps.db } : {}),
    ...(definition.retry ? { retry: definition.retry } : {}),
    ...(deps.wants ? { wants: deps.wants } : {}),
    publisher: deps.publisher,
    logger,
    metrics: deps.metrics,
  });
  consumer.registerHealth(deps.health, { critical: definition.critical });
  const joining = retry(() => consumer.start(), {
    policy: CONSUMER_START,
    signal,
    onRetry: (error, attempt) => logger.warn({ err: error, attempt, group: definition.group }, 'consumer could not start; retrying'),
  }).catch((error: unknown) => {
    if (!signal.aborted) logger.error({ err: error, group: definition.group }, 'consumer did not start');
  });
  return {
    async stop() {
      // Stopping a consumer that is still joining its group would leave the join running.
      await joining;
      await consumer.stop();
    },
  };
}
