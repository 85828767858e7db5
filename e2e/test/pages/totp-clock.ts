import { generate } from 'otplib';

/**
 * The time identity (and web) run on in the pages' tests, moved by the tests instead of sleeping: a
 * TOTP step is spent by its use, so the next code needs the next step; links and tokens expire.
 */
export class TotpClock {
  private offsetMs = 0;

  /** For `startIdentity(…, { clock })` and `startWeb(…, { clock })`. */
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /**
   * Back to the system's time, which oidc-provider judges `max_age` by. The steps passed since are
   * spent, so an account with two-factor on cannot sign in after this.
   */
  realTime(): void {
    this.offsetMs = 0;
  }

  /** On to the next 30-second TOTP step, whose code the account has not used yet. */
  nextStep(): void {
    this.advance(30_000);
  }

  /** The code an authenticator app with `secret` shows at this clock's time. */
  codeAt(secret: string): Promise<string> {
    return generate({ secret, epoch: Math.floor(this.now().getTime() / 1000) });
  }
}
