import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventTypes, isPublicTopic, registry } from '@solar/contracts';
import { repoRoot } from './service-configs';

/** The receiver example, as a test runs it (services/notification/test/outbound-webhooks.test.ts). */
const EXAMPLE = 'services/notification/examples/webhook-receiver.ts';

/** docs/events.md, for integrators who cannot join Kafka: consuming the signed webhooks. */
export function renderWebhooksGuide(): string {
  const publicTypes = eventTypes.filter((name) => isPublicTopic(registry[name].topic)).map((name) => `\`${name}\``);
  const example = readFileSync(path.join(repoRoot, EXAMPLE), 'utf8');
  return [
    '## Webhooks: the public events over HTTPS',
    '',
    'For integrators who cannot join the Kafka cluster (a SaaS tool, a serverless function, a partner),',
    'notification POSTs the public events to registered endpoints. An admin registers one with',
    '`POST /v1/admin/webhooks {url, eventTypes, description}` (docs/api.md) and gets its signing secret',
    '(`whsec_…`) once; every public type of the tables above may be subscribed to, by short name:',
    `${publicTypes.join(', ')}. Private types (\`EmailRequested\`) are refused.`,
    '',
    '**What arrives.** One event per request, a CloudEvents 1.0 event in structured JSON mode',
    '(`content-type: application/cloudevents+json`): `specversion`, `id`, `source`, `type`, `subject`',
    '(the account), `time`, `dataschema` and `data` as in the schema of its type. The headers follow',
    'Standard Webhooks: `webhook-id` (the event id), `webhook-timestamp` (seconds) and',
    '`webhook-signature`, `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret that',
    'signs: while a secret is rotated (`POST /v1/admin/webhooks/{id}/rotate-secret`), both the new and',
    'the previous one sign until the overlap ends, so a receiver holding either verifies.',
    '',
    '**Guarantees.** At least once: answer 2xx within `WEBHOOK_TIMEOUT` (10 s) or the event comes again,',
    'under the same `webhook-id`, so process each id once. In order per account for each endpoint: while',
    "an account's event fails, its later events wait (other accounts' do not). Failures are retried",
    'with exponential backoff and jitter for `WEBHOOK_RETRY_FOR` (24 h); then the delivery is dead. An',
    'endpoint that fails everything for `WEBHOOK_DISABLE_AFTER` (5 days) is disabled and the admins are',
    'told; enable it again with `PATCH {enabled: true}` and `POST .../replay {from, to}` what it missed',
    '(events some endpoint subscribes to are kept `WEBHOOK_EVENT_RETENTION`, 7 days). Redirects are not followed, and the endpoint',
    'must resolve to a public address. `POST .../test` sends a `WebhookTest` event; `GET .../deliveries`',
    'shows each attempt’s status and the first bytes of your answer. When an account is deleted its',
    'stored events are erased, all but its `UserDeleted`: deliveries of them still waiting end as dead.',
    '',
    '**From when an endpoint gets events.** An endpoint gets the events notification queues after it',
    'is registered (or enabled, or subscribed to the type), not those queued before. Each replica of',
    'notification keeps which endpoints subscribe to which types and reads them again at most every',
    "`WEBHOOK_SUBSCRIPTIONS_TTL` (1 s), so an event nobody subscribes to (every sign-in's",
    '`LoginSucceeded`, usually) costs no database work. The replica that served the admin request',
    'applies it at once; another replica within `WEBHOOK_SUBSCRIPTIONS_TTL`. So "registered before',
    'the event" means: registered at least `WEBHOOK_SUBSCRIPTIONS_TTL` before a replica queues it; an',
    'event queued within that second after may or may not reach the new endpoint, and since nothing',
    'subscribed to it, it was not stored and cannot be replayed. Likewise, for that second after an',
    'endpoint is disabled, deleted or unsubscribed, another replica may still queue for it: a disabled',
    "endpoint's delivery waits for it to be enabled again (as any disabled endpoint's does), and a",
    "deleted one's is never sent.",
    '',
    `**A receiver in TypeScript** (\`${EXAMPLE}\`, run by the tests), verifying with the`,
    '[`standardwebhooks`](https://www.npmjs.com/package/standardwebhooks) package over the raw body:',
    '',
    '```ts',
    example.trimEnd(),
    '```',
    '',
  ].join('\n');
}
