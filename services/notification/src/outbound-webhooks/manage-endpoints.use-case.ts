import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@solar/chassis';
import { DestinationRefused, resolveDestination } from './destination-guard';
import { isPublicEventType } from './public-event-types';
import type { WebhookEndpointRecord, WebhookEndpointRepository } from './webhook-endpoint.repository';
import type { WebhookDeliveryRepository } from './webhook-delivery.repository';

export interface EndpointDeps {
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  allowedHosts: readonly string[];
  clock: () => Date;
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

function checkEventTypes(eventTypes: string[]): string[] {
  const refused = eventTypes.filter((name) => !isPublicEventType(name));
  if (refused.length > 0) {
    const message = `not a public event type: ${refused.join(', ')}; webhooks carry public events only`;
    throw new AppError('validation_failed', `The request is invalid: eventTypes ${message}.`, {
      errors: [{ path: 'eventTypes', message }],
    });
  }
  return [...new Set(eventTypes)];
}

async function checkUrl(url: string, allowedHosts: readonly string[]): Promise<void> {
  try {
    await resolveDestination(new URL(url), allowedHosts);
  } catch (error) {
    if (error instanceof DestinationRefused) {
      const message = `refused as a webhook destination: ${error.reason}`;
      throw new AppError('validation_failed', `The request is invalid: url ${message}.`, { errors: [{ path: 'url', message }] });
    }
    throw error;
  }
}

export function createEndpoint(deps: EndpointDeps) {
  return async (input: { url: string; eventTypes: string[]; description: string }) => {
    const eventTypes = checkEventTypes(input.eventTypes);
    await checkUrl(input.url, deps.allowedHosts);
    const now = deps.clock();
    const endpoint: WebhookEndpointRecord = {
      _id: `wh_${randomUUID()}`,
      url: input.url,
      eventTypes,
      description: input.description,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    const secret = newSecret();
    await deps.endpoints.create(endpoint, secret);
    return { endpoint, secret };
  };
}

export function updateEndpoint(deps: EndpointDeps) {
  return async (
    id: string,
    input: { url?: string | undefined; eventTypes?: string[] | undefined; description?: string | undefined; enabled?: boolean | undefined },
  ) => {
    const fields: Partial<WebhookEndpointRecord> = { updatedAt: deps.clock() };
    if (input.eventTypes) fields.eventTypes = checkEventTypes(input.eventTypes);
    if (input.url !== undefined) {
      await checkUrl(input.url, deps.allowedHosts);
      fields.url = input.url;
    }
    if (input.description !== undefined) fields.description = input.description;
    if (input.enabled !== undefined) {
      fields.enabled = input.enabled;
      fields.disabledReason = input.enabled ? null : 'admin';
      // Enabled again: the streak that disabled it is over, the next failure starts a new one.
      if (input.enabled) fields.failingSince = null;
    }
    return found(await deps.endpoints.update(id, fields));
  };
}

export function deleteEndpoint(deps: EndpointDeps) {
  return async (id: string) => {
    if (!(await deps.endpoints.delete(id))) throw notFound();
    await deps.deliveries.deleteForEndpoint(id);
  };
}

export function rotateSecret(deps: EndpointDeps) {
  return async (id: string, overlapMs: number) => {
    const now = deps.clock();
    const secret = newSecret();
    const previousSecretExpiresAt = new Date(now.getTime() + overlapMs);
    if (!(await deps.endpoints.rotate(id, secret, previousSecretExpiresAt, now))) throw notFound();
    return { secret, previousSecretExpiresAt: overlapMs > 0 ? previousSecretExpiresAt : null };
  };
}

export function found<T>(value: T | null): T {
  if (value === null) throw notFound();
  return value;
}

const notFound = () => new AppError('not_found', 'No webhook endpoint with this id.');
