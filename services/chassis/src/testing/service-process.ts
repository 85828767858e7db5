import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Env } from '../config/config';
import type { Service } from '../runtime/service';

/**
 * The memory settings every service's image starts with (the Dockerfile's runtime ENV; a tools test
 * keeps the two equal), so a process measured here holds the memory it holds deployed. Why each: docs/operations.md.
 */
export const RUNTIME_MEMORY_ENV = {
  NODE_OPTIONS: '--max-semi-space-size=8',
  UV_THREADPOOL_SIZE: '2',
  MALLOC_MMAP_THRESHOLD_: '1048576',
} as const;

export interface ServiceProcessOptions {
  /** The compiled entry point, e.g. `services/identity/dist/src/server.js`. */
  entry: string;
  env: Env;
  /** Every line the process prints goes here, to read after a failure. */
  logFile: string;
  /** Node options before the entry point, e.g. `--cpu-prof` to see where a benchmark's time goes. */
  execArgv?: string[];
  /** How long start() waits for the "started" line. */
  startTimeoutMs?: number;
}

/**
 * A service run as its own Node process from its deployed entry point, for tests and benchmarks that
 * need what in-process services cannot give: a SIGKILL, a restart, a process's own memory and CPU.
 * It is a Service: start() resolves with the port the process reports in its "started" log line, so
 * `PORT=0` works as it does in-process; stop() is the SIGTERM a deployment sends.
 */
export class ServiceProcess implements Service {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly options: ServiceProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<{ port: number; metricsPort?: number }> {
    if (this.child) throw new Error(`${this.options.entry} is already running`);
    mkdirSync(dirname(this.options.logFile), { recursive: true });
    const log = createWriteStream(this.options.logFile, { flags: 'a' });
    // The "started" line is an info line: the level is raised to info whatever the caller asked for.
    const level = this.options.env.LOG_LEVEL;
    const env = {
      ...process.env,
      ...RUNTIME_MEMORY_ENV,
      ...this.options.env,
      LOG_LEVEL: level === 'debug' || level === 'trace' ? level : 'info',
    };
    const child = spawn(process.execPath, [...(this.options.execArgv ?? []), this.options.entry], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.child = undefined;
        log.end();
        resolve(code);
      }),
    );
    child.stderr?.pipe(log, { end: false });
    const lines = createInterface({ input: child.stdout });
    const ports = new Promise<{ port: number; metricsPort?: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.options.entry} did not start within ${this.startTimeoutMs} ms; see ${this.options.logFile}`)),
        this.startTimeoutMs,
      );
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        const started = startedPorts(line);
        if (started !== undefined) {
          clearTimeout(timer);
          resolve(started);
        }
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.options.entry} exited with ${code} before it started; see ${this.options.logFile}`));
      });
    });
    try {
      return await ports;
    } catch (error) {
      void this.kill('SIGKILL');
      throw error;
    }
  }

  /** SIGTERM, as a deployment sends it; resolves once the process has exited. */
  async stop(): Promise<void> {
    void this.kill('SIGTERM');
    await this.exited;
  }

  /** Any signal, e.g. SIGKILL for a crash; resolves with the exit code once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child?.kill(signal);
    return this.exited;
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 60_000;
  }
}

function startedPorts(line: string): { port: number; metricsPort?: number } | undefined {
  if (!line.includes('"started"')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown; metricsPort?: unknown };
    if (entry.msg !== 'started' || typeof entry.port !== 'number') return undefined;
    return typeof entry.metricsPort === 'number' ? { port: entry.port, metricsPort: entry.metricsPort } : { port: entry.port };
  } catch {
    return undefined;
  }
}
