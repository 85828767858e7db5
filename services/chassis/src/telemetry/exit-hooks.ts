/**
 * Work a process must finish before it exits (sending buffered spans and error reports), registered
 * by bootstrap() and run by runMain() after the service has stopped. A registry rather than imports,
 * so that the library's HTTP, Kafka and lifecycle code never loads the OpenTelemetry SDK or Sentry.
 */
const hooks: (() => Promise<void>)[] = [];

export function beforeExit(hook: () => Promise<void>): void {
  hooks.push(hook);
}

/** Runs every hook, each bounded by `timeoutMs`; a failing or hanging hook does not hold up the others. */
export async function runExitHooks(timeoutMs = 5_000): Promise<void> {
  await Promise.allSettled(
    hooks.splice(0).map((hook) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      return Promise.race([hook(), deadline]).finally(() => clearTimeout(timer));
    }),
  );
}
