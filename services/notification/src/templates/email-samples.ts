import type { EmailTemplate } from '@solar/contracts';

/** A fixed send time, so previews and screenshots are the same on every run. */
export const SAMPLE_NOW = new Date('2026-03-02T10:15:00.000Z');

const at = (ms: number) => new Date(SAMPLE_NOW.getTime() + ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Realistic variables for every template: what identity and lifecycle send, with example links. */
export const SAMPLE_VARIABLES: Record<EmailTemplate, Record<string, string>> = {
  'verify-email': { link: 'https://app.solar.example/verify-email?token=Zx8qS2mB1nV4cL7pR0tY3wE6uI9oA5dF_gH-jK2lM1n', expiresAt: at(DAY) },
  'password-reset': {
    link: 'https://app.solar.example/reset-password?token=Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC_vB-nM2qW4e',
    expiresAt: at(HOUR),
  },
  'password-changed': {},
  'email-change-requested': {
    link: 'https://app.solar.example/confirm-email-change?token=Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC_vB-nM2qW4e',
    expiresAt: at(DAY),
  },
  'email-change-address-taken': {},
  'email-changed': {
    newEmail: 'ada@example.org',
    link: 'https://app.solar.example/undo-email-change?token=Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC_vB-nM2qW4e',
    expiresAt: at(7 * DAY),
  },
  'password-breached': {},
  'registration-attempt': {},
  'account-locked': { lockedUntil: at(15 * 60_000) },
  'deletion-requested': { purgeAt: at(30 * DAY), cancelLink: 'https://app.solar.example/settings/account?cancel-deletion=1' },
  'deletion-cancelled': {},
  'account-deleted': {},
  'inactive-account-warning': { signInBy: at(14 * DAY), signInLink: 'https://app.solar.example/login' },
  'waitlist-joined': {},
  'waitlist-approved': {
    inviteLink: 'https://app.solar.example/register?invite=Lk8jH6gF4dS2aP0oI8uY6tR4eW2qZ0xC_vB-nM1lK3j',
    expiresAt: at(7 * DAY),
  },
  'two-factor-enabled': {},
  'two-factor-disabled': {},
  'two-factor-reset-requested': {
    link: 'https://app.solar.example/two-factor-reset?token=Rt5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN_mQ-wE2rT4y',
    expiresAt: at(HOUR),
  },
  'two-factor-reset-scheduled': {
    effectiveAt: at(DAY),
    cancelLink: 'https://app.solar.example/settings/security?cancel-two-factor-reset=1',
  },
  'two-factor-reset-cancelled': {},
  'passkey-added': { name: 'MacBook Touch ID' },
  'two-factor-reset-by-admin': {},
  'data-export-ready': {
    link: 'https://app.solar.example/data-export?token=Zx8qS2mB1nV4cL7pR0tY3wE6uI9oA5dF_gH-jK2lM1n',
    expiresAt: at(DAY),
  },
  'webhook-endpoint-disabled': { endpoint: 'hooks.partner.example (Partner CRM)', failingSince: at(-5 * DAY) },
};
