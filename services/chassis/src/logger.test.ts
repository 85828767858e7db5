import { Writable } from 'node:stream';
import { createLogger } from './logger';

function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ service: 'test', level: 'info', destination }), lines };
}

describe('logger', () => {
  it('censors passwords, tokens and authorization headers', () => {
    const { logger, lines } = captureLogs();
    logger.info(
      {
        password: 'hunter2hunter2',
        body: { newPassword: 'correct horse', token: 'tok_secret' },
        req: { headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=secret' } },
        refresh_token: 'rt_secret',
      },
      'request',
    );
    const output = lines.join('');
    for (const secret of ['hunter2hunter2', 'correct horse', 'tok_secret', 'eyJsecret', 'sid=secret', 'rt_secret']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[redacted]');
  });

  it('keeps ordinary fields', () => {
    const { logger, lines } = captureLogs();
    logger.info({ email: 'a@example.com', userId: 'u1' }, 'registered');
    expect(JSON.parse(lines[0]!)).toMatchObject({ email: 'a@example.com', userId: 'u1', service: 'test', level: 'info' });
  });
});
