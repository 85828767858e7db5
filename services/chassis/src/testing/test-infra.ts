import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface TestInfra {
  kafkaBrokers: string;
  mongoUrl: string;
  redisUrl: string;
  smtpHost: string;
  smtpPort: string;
  mailpitUrl: string;
}

/** Addresses of the servers `npm test` started (or that the caller pointed it at). */
export function testInfra(): TestInfra {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\`, which starts the infrastructure`);
    return value;
  };
  return {
    kafkaBrokers: read('KAFKA_BROKERS'),
    mongoUrl: read('MONGO_URL'),
    redisUrl: read('REDIS_URL'),
    smtpHost: read('SMTP_HOST'),
    smtpPort: read('SMTP_PORT'),
    mailpitUrl: read('MAILPIT_URL'),
  };
}

/** A name no other test file uses: databases, topic prefixes and consumer groups are built from it. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A database URL on the test server with a database of the file's own. */
export function mongoUrlFor(infra: TestInfra, database: string): string {
  const url = new URL(infra.mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function testKeyRing(): string {
  return `test1:${randomBytes(32).toString('base64')}`;
}

/** A JWK set with one fresh Ed25519 signing key, as JWT_SIGNING_KEYS takes it. */
export function testSigningKeys(kid = `test-${randomBytes(4).toString('hex')}`): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify({ keys: [{ ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' }] });
}
