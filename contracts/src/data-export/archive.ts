import { z } from 'zod';

/*
 * The files of a data-export archive (GDPR articles 15 and 20): `<service>.json` per participant, each
 * an envelope around that service's data about one person. The descriptions here are the archive's
 * README; `npm run contracts:generate` publishes the JSON Schema (contracts/data-export/).
 *
 * What never goes in: password hashes, TOTP secrets, recovery codes, sealed values, other people's
 * data, and the internal ids of other records.
 */

const Instant = z.iso.datetime({ offset: true });

const IdentityAccount = z
  .object({
    email: z.string().describe('The address the account signs in with.'),
    name: z.string().nullable().describe('The display name, if one was given.'),
    locale: z.string().describe('The language emails are written in.'),
    roles: z.array(z.string()).describe('Roles granted to the account, such as admin.'),
    createdAt: Instant.describe('When the account was registered.'),
    emailVerifiedAt: Instant.nullable().describe('When the address was confirmed; null while it is not.'),
    twoFactorEnabled: z.boolean().describe('Whether sign-in asks for a code from an authenticator app.'),
    pendingDeletion: z
      .object({ requestedAt: Instant, purgeAt: Instant })
      .nullable()
      .describe('A deletion of the account that is scheduled; null when none is.'),
  })
  .strict();

const IdentitySession = z
  .object({
    createdAt: Instant.describe('When the session was opened (a sign-in).'),
    lastUsedAt: Instant.nullable().describe('When it last refreshed its access.'),
    expiresAt: Instant.describe('When it ends unless refreshed.'),
    ip: z.string().describe('The network address it was opened from.'),
    userAgent: z.string().describe('The browser or app that opened it.'),
  })
  .strict();

const IdentityAuditEntry = z
  .object({
    action: z.string().describe('What happened: sign-in, password change, export request...'),
    outcome: z.enum(['success', 'failure']),
    at: Instant,
    ip: z.string().describe('The network address the action came from.'),
    userAgent: z.string(),
    details: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe('What the action recorded about itself, without the ids of other records.'),
  })
  .strict();

// Neither the credential id (an internal id, and what a site would look the passkey up by) nor the public key: only what the owner recognises.
const IdentityPasskey = z
  .object({
    name: z.string().describe('The name the passkey was given when it was added.'),
    createdAt: Instant.describe('When it was added.'),
    lastUsedAt: Instant.nullable().describe('When it last signed in; null if it never has.'),
    backedUp: z.boolean().describe('Whether the authenticator said it is backed up (synced to other devices).'),
  })
  .strict();

export const IdentityExportData = z
  .object({
    account: IdentityAccount.describe('The account itself.'),
    sessions: z.array(IdentitySession).describe('Sessions open now (devices signed in).'),
    passkeys: z.array(IdentityPasskey).describe('Passkeys that sign in to the account, oldest first.'),
    auditLog: z.array(IdentityAuditEntry).describe('The security history of the account, newest first.'),
  })
  .strict();
export type IdentityExportData = z.output<typeof IdentityExportData>;

const NotificationEmail = z
  .object({
    template: z.string().describe('Which email it was (verify-email, password-reset...).'),
    to: z.string().describe('The address it went to.'),
    status: z.enum(['sending', 'sent', 'failed']),
    requestedAt: Instant,
    sentAt: Instant.nullable(),
  })
  .strict();

export const NotificationExportData = z
  .object({
    emails: z.array(NotificationEmail).describe('Emails sent to the person, newest first; their content is not kept.'),
    suppressed: z.boolean().describe('Whether the address is on the list of addresses emails no longer go to (bounces, complaints).'),
  })
  .strict();
export type NotificationExportData = z.output<typeof NotificationExportData>;

export const LifecycleExportData = z
  .object({
    deletionRequests: z
      .array(
        z
          .object({
            status: z.enum(['pending', 'cancelled', 'superseded', 'done']),
            purgeAt: Instant.nullable().describe('When the account was (or is) to be deleted.'),
            updatedAt: Instant,
          })
          .strict(),
      )
      .describe('Deletion requests lifecycle keeps a schedule for.'),
  })
  .strict();
export type LifecycleExportData = z.output<typeof LifecycleExportData>;

/** What the services known to the platform send; another participant's data is any JSON object. */
export const knownExportData = {
  identity: IdentityExportData,
  notification: NotificationExportData,
  lifecycle: LifecycleExportData,
} as const;

export function dataExportFileSchema<T extends z.ZodType>(data: T) {
  return z
    .object({
      service: z.string().describe('The service that holds the data.'),
      exportId: z.uuid().describe('The export this file belongs to.'),
      exportedAt: Instant.describe('When the archive was put together.'),
      data,
    })
    .strict();
}

export const DataExportFile = dataExportFileSchema(z.record(z.string(), z.unknown()));
export type DataExportFile = z.output<typeof DataExportFile>;

/** JSON Schema (draft 2020-12) of each file of the archive, by file name; `participant.json` is the envelope any other service uses. */
export function dataExportJsonSchemas(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [service, data] of Object.entries(knownExportData)) {
    schemas[`${service}.json`] = z.toJSONSchema(dataExportFileSchema(data), { io: 'output' });
  }
  schemas['participant.json'] = z.toJSONSchema(DataExportFile, { io: 'output' });
  return schemas;
}

/** The archive's README: what each file and field means, from the schemas' descriptions. */
export function dataExportReadme(services: readonly string[]): string {
  const lines = [
    '# Your data',
    '',
    'One JSON file per service that holds data about you. Each has `service`, `exportId`, `exportedAt` and `data`.',
    'Secrets (password hashes, two-factor secrets, recovery codes) are never exported: we cannot read them either.',
    '',
  ];
  for (const service of services) {
    lines.push(`## ${service}.json`, '');
    const schema = knownExportData[service as keyof typeof knownExportData] as z.ZodType | undefined;
    if (!schema) {
      lines.push('Data this service keeps about you, as it describes it.', '');
      continue;
    }
    for (const [path, description] of describedFields(schema, 'data')) lines.push(`- \`${path}\`: ${description}`);
    lines.push('');
  }
  return lines.join('\n');
}

function describedFields(schema: z.ZodType, path: string): [string, string][] {
  const json = z.toJSONSchema(schema, { io: 'output' }) as JsonNode;
  const out: [string, string][] = [];
  walk(json, path, out);
  return out;
}

interface JsonNode {
  description?: string;
  properties?: Record<string, JsonNode>;
  items?: JsonNode;
  anyOf?: JsonNode[];
}

function walk(node: JsonNode, path: string, out: [string, string][]): void {
  if (node.description) out.push([path, node.description]);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`, out);
  if (node.items) walk(node.items, `${path}[]`, out);
  for (const option of node.anyOf ?? []) if (option.properties) walk(option, path, out);
}
