import { z } from 'zod';
import { UserId } from '../fields';

/** How a passkey is kept: `multiDevice` ones are synced (backed up) by a platform, `singleDevice` ones never leave their authenticator. */
const PasskeyDeviceType = z
  .enum(['singleDevice', 'multiDevice'])
  .describe('singleDevice: bound to one authenticator (a security key); multiDevice: a synced passkey.');

export const PasskeyId = z.string().min(1).describe("The credential's id (base64url), as the authenticator names it.");

export const PasskeyAddedV1 = z.object({
  userId: UserId,
  passkeyId: PasskeyId,
  deviceType: PasskeyDeviceType,
  backedUp: z.boolean().describe('Whether the authenticator reported the passkey as backed up when it was added.'),
});
export type PasskeyAddedV1 = z.output<typeof PasskeyAddedV1>;
