import type { DeliveryOutcome, EmailRequest } from '../delivery/deliver-email.use-case';
import type { DeliveryStatus } from '../delivery/delivery.model';
import { accountDeletedRequestId, eraseUser } from './erase-user.use-case';

function harness(outcome: DeliveryOutcome | Error, status: DeliveryStatus | null = 'sent', former: string[] = []) {
  const steps: string[] = [];
  const requests: EmailRequest[] = [];
  const erase = eraseUser({
    deliver: async (request: EmailRequest) => {
      steps.push(`deliver ${request.data.template} ${request.eventId}`);
      requests.push(request);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    deliveries: {
      statusOf: async () => status,
      eraseRecipient: async (_userId: string, address: string) => {
        steps.push(former.length > 0 ? `erase deliveries ${address}` : 'erase deliveries');
        return 1;
      },
    },
    suppressions: {
      eraseAddress: async (address: string) => {
        steps.push(former.length > 0 ? `erase suppressions ${address}` : 'erase suppressions');
      },
    },
    formerAddresses: {
      of: async () => former,
      forget: async () => {
        if (former.length > 0) steps.push('forget former addresses');
      },
    },
  });
  const run = (reason?: 'requested' | 'inactivity' | 'unverified', locale?: string) =>
    erase({
      eventId: 'evt-1',
      data: { userId: 'u1', email: 'a@x.test', deletionRequestId: 'd1', ...(reason ? { reason } : {}), ...(locale ? { locale } : {}) },
    });
  return { steps, requests, run };
}

describe('erase user', () => {
  it('derives the same delivery id from the same event, and another from another', () => {
    expect(accountDeletedRequestId('evt-1')).toBe(accountDeletedRequestId('evt-1'));
    expect(accountDeletedRequestId('evt-1')).not.toBe(accountDeletedRequestId('evt-2'));
    expect(accountDeletedRequestId('evt-1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each(['sent', 'failed', 'unavailable'] as const)('sends first, then erases (outcome %s)', async (outcome) => {
    const { steps, run } = harness(outcome);
    await run();
    expect(steps).toEqual([`deliver account-deleted ${accountDeletedRequestId('evt-1')}`, 'erase deliveries', 'erase suppressions']);
  });

  it('erases under every address the account had, then forgets the list', async () => {
    const { steps, run } = harness('sent', 'sent', ['old@x.test']);
    await run();
    expect(steps.slice(1)).toEqual([
      'erase deliveries a@x.test',
      'erase suppressions a@x.test',
      'erase deliveries old@x.test',
      'erase suppressions old@x.test',
      'forget former addresses',
    ]);
  });

  it('tells the template why the account went; no reason (an older producer) means the owner asked', async () => {
    const { requests, run } = harness('sent');
    await run('inactivity');
    await run('unverified');
    await run();
    expect(requests.map((request) => request.data.variables)).toEqual([
      { reason: 'inactivity' },
      { reason: 'unverified' },
      { reason: 'requested' },
    ]);
  });

  it("writes the farewell in the account's locale; none (an older producer) means English", async () => {
    const { requests, run } = harness('sent');
    await run('requested', 'de');
    await run('requested');
    expect(requests.map((request) => request.data.locale)).toEqual(['de', 'en']);
  });

  it('erases again when the email was handled before (a redelivered event)', async () => {
    const { steps, run } = harness('already_handled', 'sent');
    await run();
    expect(steps).toContain('erase deliveries');
  });

  it('erases nothing while the email is still being sent elsewhere, or when sending failed for now', async () => {
    const inFlight = harness('already_handled', 'sending');
    await expect(inFlight.run()).rejects.toThrow(/still being sent/);
    expect(inFlight.steps).toHaveLength(1);
    const transient = harness(new Error('SMTP connection refused'));
    await expect(transient.run()).rejects.toThrow(/refused/);
    expect(transient.steps).toHaveLength(1);
  });
});
