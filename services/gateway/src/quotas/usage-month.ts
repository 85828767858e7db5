/** When the month containing `instant` ends (UTC): the first instant of the next month. */
export function monthEnd(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + 1, 1));
}

/** Monthly request quota per role; 0 means unlimited. */
export type RoleQuotas = Record<string, number>;

/**
 * A caller's quota: the most generous of their roles' (an admin is a user too, and gets the admin
 * quota), unlimited if any of their roles is. Null means unlimited; roles without a quota count as users.
 */
export function quotaFor(roles: string[], quotas: RoleQuotas): number | null {
  const known = roles.filter((role) => role in quotas);
  const limits = (known.length > 0 ? known : ['user']).map((role) => quotas[role] ?? 0);
  return limits.some((limit) => limit === 0) ? null : Math.max(...limits);
}
