import { SendFailure, failureFromError, failureFromHttp, failureFromSmtp } from './send-failure';

describe('failureFromHttp', () => {
  it.each([400, 401, 403, 404, 409, 413, 422])('treats %i as permanent: the same request cannot succeed', (status) => {
    const failure = failureFromHttp(status, 'refused');
    expect(failure).toMatchObject({ permanent: true, reason: 'rejected', code: status });
  });

  it.each([408, 429, 500, 502, 503, 504])('treats %i as transient, worth a retry', (status) => {
    expect(failureFromHttp(status, '')).toMatchObject({ permanent: false, reason: 'provider_unavailable', code: status });
  });

  it('calls a refusal about the recipient invalid_recipient', () => {
    expect(failureFromHttp(400, 'personalizations.0.to.0.email: Does not contain a valid address.').reason).toBe('invalid_recipient');
    expect(failureFromHttp(400, 'to parameter is not a valid address. please check documentation').reason).toBe('invalid_recipient');
    expect(failureFromHttp(403, 'The from address does not match a verified Sender Identity').reason).toBe('rejected');
    expect(failureFromHttp(401, 'The provided authorization grant is invalid').reason).toBe('rejected');
  });

  it('keeps addresses out of the detail, and keeps it short', () => {
    const failure = failureFromHttp(
      400,
      `Email address is not verified: Ada.Lovelace+x@example.test, <bob@example.org> ${'x'.repeat(600)}`,
    );
    expect(failure.message).not.toMatch(/@example/);
    expect(failure.message).toContain('<address>');
    expect(failure.message.length).toBeLessThanOrEqual(500);
  });
});

describe('failureFromSmtp', () => {
  it('treats 5xx replies as permanent and 4xx as transient', () => {
    expect(failureFromSmtp(554, '5.7.1 Message rejected')).toMatchObject({ permanent: true, reason: 'rejected' });
    expect(failureFromSmtp(550, '5.1.1 <a@b.test>: Recipient address rejected: User unknown')).toMatchObject({
      permanent: true,
      reason: 'invalid_recipient',
    });
    expect(failureFromSmtp(451, '4.3.0 Try again later')).toMatchObject({ permanent: false, reason: 'provider_unavailable' });
    expect(failureFromSmtp(421, 'Service not available')).toMatchObject({ permanent: false });
  });
});

describe('failureFromError', () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNECTION', 'ESOCKET'])('treats %s as transient', (code) => {
    expect(failureFromError(withCode(code))).toMatchObject({ permanent: false, reason: 'provider_unavailable', code });
  });

  it('treats aborts and timeouts as transient, also when fetch wraps them as the cause', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(failureFromError(abort)).toMatchObject({ permanent: false, code: 'AbortError' });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(failureFromError(timeout)).toMatchObject({ permanent: false, code: 'TimeoutError' });
    const fetchFailed = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') });
    expect(failureFromError(fetchFailed)).toMatchObject({ permanent: false, code: 'ECONNREFUSED' });
  });

  it('passes a classified failure through unchanged', () => {
    const failure = new SendFailure(true, 'rejected', 'no');
    expect(failureFromError(failure)).toBe(failure);
  });

  it('treats what it cannot recognise as transient: retries are bounded and end where a person looks', () => {
    expect(failureFromError(new Error('something odd'))).toMatchObject({ permanent: false, reason: 'provider_unavailable' });
    expect(failureFromError('a string')).toMatchObject({ permanent: false });
  });
});
