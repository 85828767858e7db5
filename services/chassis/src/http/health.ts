export type HealthCheck = () => Promise<void | Record<string, unknown>>;

export interface CheckResult {
  status: 'up' | 'down';
  /** A degraded dependency is reported but does not take the service out of rotation. */
  critical: boolean;
  detail?: Record<string, unknown>;
  error?: string;
}

/** Readiness is the sum of the dependencies each service registers, and turns false while draining. */
export class Health {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();
  private draining = false;
  /** The last round's verdict for the public status-only answer, so a flood of probes costs one round a second. */
  private statusRound: { at: number; ready: Promise<boolean> } | undefined;

  constructor(
    private readonly timeoutMs = 2_000,
    private readonly statusCacheMs = 1_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * `critical: false` is for dependencies the service can do without for a while (Kafka behind an
   * outbox): readiness then reports them down without failing.
   */
  register(name: string, check: HealthCheck, options: { critical?: boolean } = {}): void {
    this.checks.set(name, { check, critical: options.critical ?? true });
  }

  startDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<{ ready: boolean; draining: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]) => [name, await this.run(check, critical)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = !this.draining && entries.every(([, result]) => result.status === 'up' || !result.critical);
    return { ready, draining: this.draining, checks };
  }

  /**
   * Ready or not, without the checks: what the public port answers. Rounds are shared: every call
   * within `statusCacheMs` of the last round's start (or while it runs) gets that round's verdict, so
   * anyone on the internet can make the service check its dependencies at most once a second.
   * Draining answers at once, without waiting for the cache to expire.
   */
  async status(): Promise<boolean> {
    if (this.draining) return false;
    const now = this.now();
    if (!this.statusRound || now - this.statusRound.at >= this.statusCacheMs) {
      this.statusRound = { at: now, ready: this.readiness().then((readiness) => readiness.ready) };
    }
    return (await this.statusRound.ready) && !this.draining;
  }

  private async run(check: HealthCheck, critical: boolean): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const detail = await Promise.race([check(), timeout]);
      return detail ? { status: 'up', critical, detail } : { status: 'up', critical };
    } catch (error) {
      return { status: 'down', critical, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
