import { ConfigError, loadConfig, type Env } from '@solar/chassis';
import { IdentityConfig } from '../config';

/** Where a command-line tool writes; tests pass their own. */
export interface CliOutput {
  log: (line: string) => void;
  error: (line: string) => void;
}

const consoleOutput: CliOutput = { log: (line) => console.log(line), error: (line) => console.error(line) };

/** Identity's configuration for a tool run beside it, or undefined once what is wrong is printed (exit 78). */
export function readCliConfig(env: Env, out: CliOutput): IdentityConfig | undefined {
  try {
    return loadConfig(IdentityConfig, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out.error(error.message);
    return undefined;
  }
}

/** Runs a tool to its exit code on the console; anything it did not expect is exit 70. */
export function runCli(name: string, run: (out: CliOutput) => Promise<number>): void {
  run(consoleOutput).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(70);
    },
  );
}
