import { z } from 'zod';
import { Timestamp } from '../fields';
import { EmailProvider } from './email-template';

const Ratio = z.number().min(0).max(1);

/** Closes the episode an EmailDeliveryDegraded opened: the same figures, measured when it cleared. */
export const EmailDeliveryRecoveredV1 = z.object({
  provider: EmailProvider,
  windowStart: Timestamp.describe('Start of the measured window.'),
  windowEnd: Timestamp.describe('End of the measured window.'),
  attempted: z.number().int().min(0).describe('Send attempts in the window.'),
  failed: z.number().int().min(0).describe('Failed attempts in the window.'),
  failureRate: Ratio.describe('failed / attempted (0 when nothing was attempted).'),
  threshold: Ratio.describe('The failure rate above which delivery counts as degraded.'),
});
export type EmailDeliveryRecoveredV1 = z.output<typeof EmailDeliveryRecoveredV1>;
