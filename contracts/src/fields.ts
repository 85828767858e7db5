import { z } from 'zod';

/*
 * Field schemas shared by the event schemas. Producers can validate their own inputs with the same
 * rules (EmailAddress in particular), so an accepted request never turns into an event that fails
 * to build.
 */

export const UserId = z.string().min(1).describe('Identity user id (opaque string).');

export const EmailAddress = z.email().max(254).describe('Email address, normalized by identity.');

/** UTC only, as Date#toISOString writes it, so consumers compare timestamps as plain strings. */
export const Timestamp = z.iso.datetime();

// Not z.ipv4/z.ipv6: their JSON Schema patterns reject IPv4-mapped addresses (::ffff:1.2.3.4) that
// Node reports for dual-stack sockets, and the JSON Schema must accept what zod accepts.
export const IpAddress = z.string().min(2).max(45).describe('Client IP address as the gateway saw it (Express req.ip).');

export const UserAgent = z.string().max(1024).describe('User-Agent header, truncated by the producer to 1024 characters.');

export const SessionId = z.string().min(1).describe('Session id: the refresh-token family.');

export const DeletionRequestId = z
  .string()
  .min(1)
  .describe(
    'Id of the deletion request: one per request-deletion call or inactivity request; identity makes one of its own for an unverified account it removes.',
  );

/** Why an account goes: its owner asked, it stayed unused, or its address was never verified. */
export const DeletionReason = z
  .enum(['requested', 'inactivity', 'unverified'])
  .describe('requested: the owner asked; inactivity: no sign-in for the configured period; unverified: never verified in time.');

export const WaitlistEntryId = z.string().min(1).describe('Id of the waitlist entry.');

/**
 * The languages identity stores for a user and notification has a full template pack for: one
 * list, so an account can never hold a locale no email is written in. Adding one means a pack in
 * notification first (see services/notification/src/templates/README.md), then the tag here.
 */
export const SUPPORTED_LOCALES = ['en', 'de'] as const;

export const Locale = z
  .enum(SUPPORTED_LOCALES, { error: `must be one of: ${SUPPORTED_LOCALES.join(', ')}` })
  .describe('A supported language: the primary subtag of a BCP 47 tag.');
export type Locale = z.output<typeof Locale>;

/** The locale of an account that has none stored (created before locales existed), and the last resort of negotiation. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * A language tag on an event, looser than Locale: an event can outlive a change to the supported
 * list, and its consumers fall back to English rather than refuse a tag they do not know.
 */
export const LanguageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
