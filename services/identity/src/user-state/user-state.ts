import { createEvent, registry, Topics, toKafkaMessage, type AnyCloudEvent, type UserStateV1 } from '@solar/contracts';
import type { OutboxEntry, OutboxRenderer, OutboxWriter, OutgoingRecord } from '@solar/chassis';
import type { UserDocument } from '../users/user.model';
import { localeOf } from '../users/user.repository';

/** Renderer names of the entries that publish identity.user-state.v1. */
const USER_STATE = 'user-state';
const USER_STATE_TOMBSTONE = 'user-state-tombstone';

type StateFields = Pick<
  UserDocument,
  '_id' | 'email' | 'roles' | 'displayName' | 'emailVerifiedAt' | 'deletion' | 'locale' | 'twoFactor' | 'createdAt' | 'disabledAt'
>;

/** The public projection of an account: what identity.user-state.v1 holds for it. */
function userStateOf(doc: StateFields): UserStateV1 {
  return {
    id: doc._id,
    email: doc.email,
    emailVerified: doc.emailVerifiedAt !== null,
    roles: doc.roles,
    displayName: doc.displayName ?? null,
    locale: localeOf(doc),
    twoFactorEnabled: Boolean(doc.twoFactor?.enabledAt),
    disabled: Boolean(doc.disabledAt),
    pendingDeletion: doc.deletion ? { purgeAt: doc.deletion.purgeAt.toISOString() } : null,
    createdAt: doc.createdAt.toISOString(),
  };
}

const target = (userId: string) => ({ topic: Topics.identityUserState, key: userId });

/**
 * The entries a write to an account document carries: its events, then a snapshot of the account
 * rendered when the relay publishes it. Rendering at publish time means the snapshot is the state
 * after this write (or a later one), without reading the document before writing it; the relay
 * publishes one document's entries in order, so the topic's last record per key is the newest state.
 */
export function accountEntries(outbox: OutboxWriter, userId: string, events: AnyCloudEvent[], now?: Date): OutboxEntry[] {
  return [...outbox.entries(events, now), outbox.rendered(USER_STATE, target(userId), now)];
}

/** The tombstone that removes a purged account from the state topic; written with its UserDeleted. */
export function stateTombstone(outbox: OutboxWriter, userId: string, now?: Date): OutboxEntry {
  return outbox.rendered(USER_STATE_TOMBSTONE, target(userId), now);
}

function stateRecord(doc: StateFields, entry: OutboxEntry): OutgoingRecord {
  const event = createEvent('UserState', {
    id: entry.eventId,
    source: '/identity',
    subject: doc._id,
    time: entry.createdAt,
    data: userStateOf(doc),
  });
  return { topic: entry.topic, ...toKafkaMessage(event) };
}

/** A null value with the attributes a consumer deduplicates and orders by; nothing else is left of the account. */
function tombstoneRecord(entry: OutboxEntry): OutgoingRecord {
  const key = entry.key ?? '';
  return {
    topic: entry.topic,
    key,
    value: null,
    headers: {
      ce_specversion: '1.0',
      ce_id: entry.eventId,
      ce_source: '/identity',
      ce_type: registry.UserState.type,
      ce_time: entry.createdAt.toISOString(),
      ce_subject: key,
    },
  };
}

export const userStateRenderers: Record<string, OutboxRenderer> = {
  // The relay renders these entries from the document that holds them: an account for a snapshot.
  [USER_STATE]: (doc, entry) => stateRecord(doc as StateFields, entry),
  [USER_STATE_TOMBSTONE]: (_doc, entry) => tombstoneRecord(entry),
};
