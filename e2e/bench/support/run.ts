/** What every bench entry point does the same way: its stack of service processes, the machine it ran on, its exit. */
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { TestStack } from '../../test/support/stack';

/**
 * The services under test, each its own Node process from its compiled entry point, so the CPU and
 * memory measured are theirs and not the load generator's. With `profileDir`, each runs with
 * `--cpu-prof` and writes its profile under `<profileDir>/<service>/` when it exits.
 */
export function benchStack(label: string, profileDir?: string): TestStack {
  return new TestStack(label, {
    processes: true,
    ...(profileDir ? { execArgv: (service: string) => ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, service)}`] } : {}),
  });
}

/** The machine as the run found it: taken at the start and the end, the report says how busy it was. */
export function machine() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
    loadAverage: loadavg().map((l) => +l.toFixed(2)),
    node: process.version,
  };
}

/** Runs a bench's main and exits: the stacks' Kafka clients and timers would keep the process alive. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
