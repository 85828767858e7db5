import { AppError } from '../http/app-error';
import { countOutcomes, outcomeOfError } from './outcomes';

function recorder() {
  const outcomes: string[] = [];
  return { outcomes, counter: { inc: (labels: { outcome: string }) => void outcomes.push(labels.outcome) } };
}

describe('countOutcomes', () => {
  it('names a result as the success function says', async () => {
    const { outcomes, counter } = recorder();
    const counted = countOutcomes(
      async (mfa: boolean) => ({ mfa }),
      counter,
      (result) => (result.mfa ? 'mfa_required' : 'success'),
    );
    await expect(counted(true)).resolves.toEqual({ mfa: true });
    await counted(false);
    expect(outcomes).toEqual(['mfa_required', 'success']);
  });

  it('labels a refusal by its error code and still throws it', async () => {
    const { outcomes, counter } = recorder();
    const refusal = new AppError('invalid_credentials', 'no');
    const counted = countOutcomes(
      async () => Promise.reject(refusal),
      counter,
      () => 'success',
    );
    await expect(counted()).rejects.toBe(refusal);
    expect(outcomes).toEqual(['invalid_credentials']);
  });

  it('counts anything but an AppError as one label, whatever its message', () => {
    expect(outcomeOfError(new Error('connection to 10.0.0.7 refused for user 42'))).toBe('error');
    expect(outcomeOfError('a string')).toBe('error');
  });
});
