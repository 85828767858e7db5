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
