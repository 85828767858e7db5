import { randomUUID } from 'node:crypto';
import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import type { startTokenIssuer } from '@solar/chassis/testing';
import { specFetch } from '../notification-test-env';

type Issuer = Awaited<ReturnType<typeof startTokenIssuer>>;

/** The admin API of one notification, called as an admin through the spec-checking fetch. */
export function webhookAdmin(baseUrl: string, issuer: Issuer, roles = ['user', 'admin']) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await specFetch(baseUrl)(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${issuer.token(roles)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { items?: Record<string, unknown>[] },
    };
  };
  return {
    call,
    async register(url: string, eventTypes: string[] = ['UserRegistered', 'EmailVerified', 'TwoFactorEnabled']) {
      const created = await call('POST', '/admin/webhooks', { url, eventTypes, description: 'test receiver' });
      if (created.status !== 201) throw new Error(`registration failed: ${JSON.stringify(created.body)}`);
      return created.body as { id: string; secret: string };
    },
    async deliveries(id: string, status?: string) {
      const log = await call('GET', `/admin/webhooks/${id}/deliveries${status ? `?status=${status}` : ''}`);
      return (log.body.items ?? []) as {
        eventId: string;
        status: string;
        attempts: number;
        lastStatus: number | null;
        lastResponse: string | null;
        lastAttemptAt: string | null;
      }[];
    },
  };
}

/** An account's life in three public events on identity.user.v1, in order. */
export function accountEvents(userId = randomUUID()): AnyCloudEvent[] {
  const email = `${userId}@example.test`;
  const at = (name: Parameters<typeof createEvent>[0], data: object) =>
    createEvent(name, { source: '/identity', subject: userId, data: data as never }) as AnyCloudEvent;
  return [
    at('UserRegistered', { userId, email, roles: ['user'], registrationMode: 'open' }),
    at('EmailVerified', { userId, email }),
    at('TwoFactorEnabled', { userId, method: 'totp' }),
  ];
}
