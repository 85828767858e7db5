import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';

export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;

const SigningJwk = z
  .object({
    kid: z.string().min(1),
    alg: z.enum(SIGNING_ALGORITHMS),
    kty: z.enum(['OKP', 'EC']),
    crv: z.enum(['Ed25519', 'P-256']),
    x: z.string().min(1),
    y: z.string().optional(),
    d: z.string().optional(),
  })
  .refine((jwk) => (jwk.alg === 'EdDSA' ? jwk.crv === 'Ed25519' : jwk.crv === 'P-256'), 'alg and crv do not match');

const KeySet = z
  .union([z.object({ keys: z.array(SigningJwk).min(1) }), z.array(SigningJwk).min(1)])
  .transform((set) => (Array.isArray(set) ? set : set.keys));

export type SigningJwk = z.output<typeof SigningJwk>;

/**
 * Reads the key set: newest first; keys with a private part (`d`) can sign, and every key is
 * published, so tokens signed with a retiring key stay valid until they expire. Error messages name
 * fields, never key material.
 */
export function parseSigningKeys(json: string): SigningJwk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('is not JSON (expected a JWK set: {"keys": [...]})');
  }
  const result = KeySet.safeParse(parsed);
  if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (!result.data.some((key) => key.d)) throw new Error('no key has a private part (d) to sign with');
  const kids = result.data.map((key) => key.kid);
  if (new Set(kids).size !== kids.length) throw new Error('key ids (kid) must be unique');
  return result.data;
}

/** Development only: an Ed25519 key made once and kept, so tokens survive restarts of the stack. */
export async function developmentKeys(file: string): Promise<SigningJwk[]> {
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwk: JWK = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now().toString(36)}`, alg: 'EdDSA' };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ keys: [jwk] }, null, 2)}\n`, { mode: 0o600 });
  }
  return parseSigningKeys(readFileSync(file, 'utf8'));
}

/** A fresh key set for tests and for `generate-signing-key`. */
export async function generateSigningKey(kid: string, alg: (typeof SIGNING_ALGORITHMS)[number] = 'EdDSA'): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return SigningJwk.parse({ ...(await exportJWK(privateKey)), kid, alg });
}
