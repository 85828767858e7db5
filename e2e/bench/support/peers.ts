/**
 * The peers' password logins, against what `scripts/peers.sh up` started and provisioned (its
 * `.local/peers/env`, sourced into the environment): PEERS_USERS accounts per peer, named by the
 * PEERS_EMAIL pattern, all with PEERS_PASSWORD. Worker n signs in as account n + 1, as on our side.
 */
export interface PeersEnv {
  keycloakUrl: string;
  keycloakRealm: string;
  keycloakClientId: string;
  kratosPublicUrl: string;
  users: number;
  emailPattern: string;
  password: string;
}

export function peersFromEnv(env: NodeJS.ProcessEnv = process.env): PeersEnv {
  const read = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: run \`bash scripts/peers.sh up\` and source .local/peers/env`);
    return value;
  };
  const users = Number(read('PEERS_USERS'));
  if (!Number.isInteger(users) || users < 1) throw new Error(`PEERS_USERS must be a positive integer, not ${env.PEERS_USERS}`);
  return {
    keycloakUrl: read('KEYCLOAK_URL'),
    keycloakRealm: read('KEYCLOAK_REALM'),
    keycloakClientId: read('KEYCLOAK_CLIENT_ID'),
    kratosPublicUrl: read('KRATOS_PUBLIC_URL'),
    users,
    emailPattern: read('PEERS_EMAIL'),
    password: read('PEERS_PASSWORD'),
  };
}

export type LoginRequest = (worker: number) => Promise<void>;

function accountOf(peers: PeersEnv, worker: number): string {
  if (worker >= peers.users) throw new Error(`worker ${worker} has no account of its own: raise PEERS_USERS and run peers.sh up`);
  return peers.emailPattern.replace('%d', String(worker + 1));
}

/** Keycloak's OAuth2 password grant (the public client allows direct access grants). */
export function keycloakLogin(peers: PeersEnv): LoginRequest {
  const url = `${peers.keycloakUrl}/realms/${encodeURIComponent(peers.keycloakRealm)}/protocol/openid-connect/token`;
  return async (worker) => {
    const body = new URLSearchParams({
      grant_type: 'password',
      client_id: peers.keycloakClientId,
      username: accountOf(peers, worker),
      password: peers.password,
    });
    const answer = await json(await fetch(url, { method: 'POST', body }), 200, 'keycloak token');
    if (typeof answer.access_token !== 'string') throw new Error('keycloak answered 200 without an access token');
  };
}

/** Kratos's API login: a flow, then the password method on it (two requests, one login). */
export function kratosLogin(peers: PeersEnv): LoginRequest {
  return async (worker) => {
    const flow = await json(await fetch(`${peers.kratosPublicUrl}/self-service/login/api`), 200, 'kratos login flow');
    if (typeof flow.id !== 'string') throw new Error('kratos answered a login flow without an id');
    const submitted = await fetch(`${peers.kratosPublicUrl}/self-service/login?flow=${encodeURIComponent(flow.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: accountOf(peers, worker), password: peers.password }),
    });
    const answer = await json(submitted, 200, 'kratos login');
    if (typeof answer.session_token !== 'string') throw new Error('kratos answered 200 without a session token');
  };
}

async function json(response: Response, expected: number, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}
