export type HealthCheck = () => Promise<void | Record<string, unknown>>;

export interface CheckResult {
  status: 'up' | 'down';
  detail?: Record<string, unknown>;
  error?: string;
}

/** Readiness is the sum of the dependencies each service registers, and turns false while draining. */
export class Health {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  constructor(private readonly timeoutMs = 2_000) {}

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  startDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<{ ready: boolean; draining: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = !this.draining && entries.every(([, result]) => result.status === 'up');
    return { ready, draining: this.draining, checks };
  }

  private async run(check: HealthCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const detail = await Promise.race([check(), timeout]);
      return detail ? { status: 'up', detail } : { status: 'up' };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
