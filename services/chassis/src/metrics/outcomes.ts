import { AppError } from '../http/app-error';

/** An error's outcome label: an AppError's stable code (a fixed set), anything else `error`. */
export function outcomeOfError(error: unknown): string {
  return error instanceof AppError ? error.code : 'error';
}

/**
 * A use case whose every call is counted once by outcome: what `success` names its result, or the
 * code of the error it throws. The use case itself stays free of metrics.
 */
export function countOutcomes<A extends unknown[], R>(
  useCase: (...args: A) => Promise<R>,
  counter: { inc(labels: { outcome: string }): void },
  success: (result: R) => string,
): (...args: A) => Promise<R> {
  return async (...args) => {
    let result: R;
    try {
      result = await useCase(...args);
    } catch (error) {
      counter.inc({ outcome: outcomeOfError(error) });
      throw error;
    }
    counter.inc({ outcome: success(result) });
    return result;
  };
}
