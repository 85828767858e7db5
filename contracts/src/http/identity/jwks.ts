import { z } from 'zod';
import { defineOperations } from '../operation';

/**
 * RFC 7517 key set of Ed25519 (OKP) or P-256 (EC) public keys. The members are listed exhaustively so
 * that a private member (`d`) in an answer fails validation against the spec.
 */
export const JsonWebKeySet = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      kid: z.string(),
      alg: z.string(),
      use: z.literal('sig'),
      crv: z.string(),
      x: z.string(),
      y: z.string().optional(),
    }),
  ),
});

export const jwksOperations = defineOperations([
  {
    operationId: 'getJwks',
    method: 'get',
    path: '/.well-known/jwks.json',
    service: 'identity',
    summary: 'Public keys that verify access tokens',
    tags: ['tokens'],
    security: 'none',
    responses: { 200: { description: 'The key set, cacheable for five minutes.', body: JsonWebKeySet } },
  },
]);
