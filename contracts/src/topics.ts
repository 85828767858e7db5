/**
 * Base topic names. Deployments may prefix them (for test isolation, say); that is the services'
 * business, so nothing here knows about prefixes.
 */
export const Topics = {
  identityUser: 'identity.user.v1',
  identityUserState: 'identity.user-state.v1',
  identitySecurity: 'identity.security.v1',
  identityWaitlist: 'identity.waitlist.v1',
  identityDataExportParts: 'identity.data-export-parts.v1',
  notificationEmailRequests: 'notification.email-requests.v1',
  notificationDeliveries: 'notification.deliveries.v1',
  lifecycle: 'lifecycle.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * Topics read only by the service that owns them, with short retention: their events may carry
 * secrets (links with tokens) or a person's data (data-export parts), which public topics never do.
 */
export const privateTopics: ReadonlySet<Topic> = new Set([Topics.notificationEmailRequests, Topics.identityDataExportParts]);

export function isPublicTopic(topic: Topic): boolean {
  return !privateTopics.has(topic);
}

/**
 * Topics that hold the latest state per key rather than a history: Kafka compacts them (keeps the
 * newest record of each key, and drops a key after its tombstone), so a reader from offset 0 gets
 * every live key once without the topic growing with every change.
 */
export const compactedTopics: ReadonlySet<Topic> = new Set([Topics.identityUserState]);
