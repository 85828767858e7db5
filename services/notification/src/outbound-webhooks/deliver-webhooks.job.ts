import { backoffDelay, type Logger } from '@solar/chassis';
import type { DeliveryClaim, WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookEndpointRecord, WebhookEndpointRepository } from './webhook-endpoint.repository';
import type { WebhookEventRepository } from './webhook-event.repository';
import type { SendOutcome, sendWebhook } from './webhook-sender';

export interface DeliverDeps {
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  events: WebhookEventRepository;
  send: typeof sendWebhook;
  /** Told once, by the one replica whose update disabled the endpoint. */
  onDisabled: (endpoint: WebhookEndpointRecord) => Promise<void>;
  policy: {
    retryForMs: number;
    disableAfterMs: number;
    backoff: { initialMs: number; maxMs: number };
    timeoutMs: number;
    leaseMs: number;
    allowedHosts: readonly string[];
  };
  clock: () => Date;
  logger: Logger;
  random?: () => number;
}

/** Deliveries sent at once by one replica in one round. */
const BATCH = 32;

/** One round: every delivery that is due, each claimed first so no two replicas send it. */
export function deliverDue(deps: DeliverDeps) {
  return async (): Promise<number> => {
    const endpoints = new Map((await deps.endpoints.enabled()).map((endpoint) => [endpoint._id, endpoint]));
    const due = await deps.deliveries.due([...endpoints.keys()], deps.clock(), BATCH);
    const results = await Promise.all(due.map((id) => deliverOne(deps, id, endpoints)));
    return results.filter(Boolean).length;
  };
}

async function deliverOne(deps: DeliverDeps, id: string, endpoints: Map<string, WebhookEndpointRecord>): Promise<boolean> {
  const claim = await deps.deliveries.claim(id, deps.clock(), deps.policy.leaseMs);
  const endpoint = claim && endpoints.get(claim.endpointId);
  if (!claim || !endpoint) return false;
  const now = deps.clock();
  const [body, secrets] = await Promise.all([deps.events.body(claim.eventId), deps.endpoints.signingSecrets(endpoint._id, now)]);
  if (body === null) {
    await deps.deliveries.finish(
      claim,
      ended('dead', now, {
        ok: false,
        status: null,
        excerpt: 'event no longer stored (past WEBHOOK_EVENT_RETENTION, or its account was deleted)',
      }),
    );
    return true;
  }
  const outcome = await deps.send(
    endpoint.url,
    { id: claim.eventId, body, secrets },
    {
      allowedHosts: deps.policy.allowedHosts,
      timeoutMs: deps.policy.timeoutMs,
      now,
    },
  );
  const after = deps.clock();
  if (outcome.ok) {
    await deps.deliveries.finish(claim, ended('delivered', after, outcome));
    await deps.endpoints.recordSuccess(endpoint._id);
    return true;
  }
  await recordFailure(deps, claim, endpoint, outcome, after);
  return true;
}

function ended(status: 'delivered' | 'dead', now: Date, outcome: SendOutcome) {
  return {
    status,
    nextAttemptAt: now,
    lastAttemptAt: now,
    lastStatus: outcome.status,
    lastResponse: outcome.excerpt,
    deliveredAt: status === 'delivered' ? now : null,
  };
}

async function recordFailure(deps: DeliverDeps, claim: DeliveryClaim, endpoint: WebhookEndpointRecord, outcome: SendOutcome, now: Date) {
  const { policy } = deps;
  const attempt = claim.attempts + 1;
  const retryAt = new Date(now.getTime() + backoffDelay({ attempts: Infinity, ...policy.backoff }, attempt, deps.random));
  const dead = retryAt.getTime() - claim.createdAt.getTime() > policy.retryForMs;
  await deps.deliveries.finish(claim, {
    status: dead ? 'dead' : 'pending',
    nextAttemptAt: retryAt,
    lastAttemptAt: now,
    lastStatus: outcome.status,
    lastResponse: outcome.excerpt,
    deliveredAt: null,
  });
  if (dead)
    deps.logger.warn(
      { endpointId: endpoint._id, eventId: claim.eventId, attempts: attempt },
      'webhook delivery is dead after its retry period',
    );
  const failingSince = await deps.endpoints.recordFailure(endpoint._id, now);
  if (failingSince === null || now.getTime() - failingSince.getTime() < policy.disableAfterMs) return;
  const disabled = await deps.endpoints.disableFailing(endpoint._id, new Date(now.getTime() - policy.disableAfterMs), now);
  if (disabled) await deps.onDisabled(disabled);
}
