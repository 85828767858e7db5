/**
 * Prints a new JWK set with one private signing key, ready for JWT_SIGNING_KEYS (or its file):
 *
 *   npm run keys:generate -- [kid] [EdDSA|ES256]
 *
 * To rotate: put the new key first in the set, keep the old one after it (still published, so its
 * tokens verify until they expire), and drop the old one after ACCESS_TOKEN_TTL.
 */
import { SIGNING_ALGORITHMS, generateSigningKey } from '../tokens/signing-keys';

async function main(args: string[]): Promise<number> {
  const [kid = `key-${new Date().toISOString().slice(0, 10)}`, alg = 'EdDSA', ...rest] = args;
  const algorithm = SIGNING_ALGORITHMS.find((known) => known === alg);
  if (!algorithm || rest.length > 0) {
    process.stderr.write('usage: generate-signing-key [kid] [EdDSA|ES256]\n');
    return 2;
  }
  process.stdout.write(`${JSON.stringify({ keys: [await generateSigningKey(kid, algorithm)] })}\n`);
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
