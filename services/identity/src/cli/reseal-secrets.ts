/**
 * Re-seals every TOTP secret (confirmed and pending) that is not sealed in the current format with the
 * active key: values from before sealed values were bound to their account (security review finding
 * 9), and values sealed with an older key of the ring, so that key can leave the ring.
 *
 *   npm run secrets:reseal
 *   node services/identity/dist/src/cli/reseal-secrets.js
 *
 * Run it where identity runs, with identity's configuration; it is safe to run again and while identity
 * serves (each write is conditional on the value it read). Exit codes: 0 done, 78 bad configuration,
 * 70 anything else (a value that does not open is reported and left as it is; the exit code is then 70).
 */
import type { Model } from 'mongoose';
import { connectMongo, createSealer, type Env, type Sealer } from '@solar/chassis';
import { readCliConfig, runCli, type CliOutput } from './cli';
import { openSecret, sealSecret } from '../two-factor/sealed-secret';
import { userModel, type UserDocument } from '../users/user.model';

const FIELDS = ['secret', 'pendingSecret'] as const;

export interface ResealResult {
  resealed: number;
  failed: { userId: string; field: string; error: string }[];
}

export async function resealTwoFactorSecrets(users: Model<UserDocument>, sealer: Sealer, activeKeyId: string): Promise<ResealResult> {
  const current = `v2.${activeKeyId}.`;
  const result: ResealResult = { resealed: 0, failed: [] };
  const stale = { $exists: true, $type: 'string', $not: new RegExp(`^${current.replace(/\./g, '\\.')}`) };
  const cursor = users
    .find({ $or: FIELDS.map((field) => ({ [`twoFactor.${field}`]: stale })) }, { twoFactor: 1 })
    .lean()
    .cursor();
  for await (const doc of cursor) {
    const userId = String(doc._id);
    for (const field of FIELDS) {
      const sealed = doc.twoFactor?.[field];
      if (!sealed || sealed.startsWith(current)) continue;
      try {
        const opened = openSecret(sealer, userId, field, sealed);
        if (opened === null) throw new Error('does not open with this key ring for this account and field');
        const resealed = sealSecret(sealer, userId, field, opened);
        // Only if the value is still the one read: a concurrent enable or disable wins.
        const write = await users.updateOne(
          { _id: userId, [`twoFactor.${field}`]: sealed },
          { $set: { [`twoFactor.${field}`]: resealed } },
        );
        result.resealed += write.modifiedCount;
      } catch (error) {
        result.failed.push({ userId, field, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return result;
}

async function main(env: Env, out: CliOutput): Promise<number> {
  const config = readCliConfig(env, out);
  if (!config) return 78;
  const db = await connectMongo(config.MONGO_URL);
  try {
    const { resealed, failed } = await resealTwoFactorSecrets(
      userModel(db),
      createSealer(config.DATA_ENCRYPTION_KEYS),
      config.DATA_ENCRYPTION_KEYS[0]!.id,
    );
    out.log(`re-sealed ${resealed} two-factor secret(s)`);
    for (const f of failed) out.error(`user ${f.userId} twoFactor.${f.field} does not open: ${f.error}`);
    return failed.length === 0 ? 0 : 70;
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli('reseal-secrets', (out) => main(process.env, out));
