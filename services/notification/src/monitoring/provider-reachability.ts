import type { Logger } from '@solar/chassis';

export interface ReachabilityOptions {
  /** The provider's own check (SMTP NOOP after connect and auth, or its cheapest authenticated API call). */
  verify: () => Promise<void>;
  /** How long an answer is reused: /health/email is public, and must not turn into a way to hammer the provider. */
  cacheMs: number;
  timeoutMs: number;
  clock: () => Date;
  logger: Logger;
}

/**
 * Whether the provider answers, checked at most once per `cacheMs` however often it is asked;
 * callers that arrive while a check runs share it. Failures are logged here and reduced to a
 * boolean, so no error text (host names, provider replies) ever reaches an HTTP response.
 */
export class ProviderReachability {
  private cached: { reachable: boolean; at: number } | null = null;
  private inFlight: Promise<boolean> | null = null;

  constructor(private readonly options: ReachabilityOptions) {}

  check(): Promise<boolean> {
    const now = this.options.clock().getTime();
    if (this.cached && now - this.cached.at < this.options.cacheMs && now >= this.cached.at) {
      return Promise.resolve(this.cached.reachable);
    }
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    let reachable: boolean;
    try {
      await Promise.race([this.options.verify(), timeout]);
      reachable = true;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'email provider is not reachable');
      reachable = false;
    } finally {
      clearTimeout(timer);
    }
    this.cached = { reachable, at: this.options.clock().getTime() };
    return reachable;
  }
}
