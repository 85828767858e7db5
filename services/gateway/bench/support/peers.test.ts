import { peersFromEnv } from './peers';

const env = {
  KEYCLOAK_URL: 'http://127.0.0.1:18180',
  KEYCLOAK_REALM: 'bench',
  KEYCLOAK_CLIENT_ID: 'bench',
  KRATOS_PUBLIC_URL: 'http://127.0.0.1:14433',
  PEERS_USERS: '16',
  PEERS_EMAIL: 'user-%d@peers.test',
  PEERS_PASSWORD: 'not a secret',
};

test('reads what peers.sh wrote', () => {
  expect(peersFromEnv(env)).toEqual({
    keycloakUrl: 'http://127.0.0.1:18180',
    keycloakRealm: 'bench',
    keycloakClientId: 'bench',
    kratosPublicUrl: 'http://127.0.0.1:14433',
    users: 16,
    emailPattern: 'user-%d@peers.test',
    password: 'not a secret',
  });
});

test('names the missing variable and how to get it', () => {
  expect(() => peersFromEnv({ ...env, KRATOS_PUBLIC_URL: undefined })).toThrow(
    'KRATOS_PUBLIC_URL is not set: run `bash scripts/peers.sh up` and source .local/peers/env',
  );
});

test('refuses a user count that is not a positive integer', () => {
  expect(() => peersFromEnv({ ...env, PEERS_USERS: '0' })).toThrow(/PEERS_USERS must be a positive integer/);
  expect(() => peersFromEnv({ ...env, PEERS_USERS: 'many' })).toThrow(/PEERS_USERS must be a positive integer/);
});
