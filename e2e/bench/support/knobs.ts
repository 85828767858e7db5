/**
 * The environment knobs both benches read, under one set of names: BENCH_DURATION (measured seconds
 * per side of a comparison), BENCH_ROUNDS (the interleaved slices they are cut into), BENCH_WARMUP
 * (seconds before each slice), BENCH_LOGIN_CONCURRENCY (logins in flight), BENCH_PROFILE and
 * BENCH_OUTPUT (the report's folder). A knob that is set but not a number of the right kind stops
 * the run naming it, rather than measuring something nobody asked for.
 */
import { join, resolve } from 'node:path';

type ProfileMode = 'missed' | 'always' | 'never';

export interface CommonKnobs {
  durationMs: number;
  rounds: number;
  warmupMs: number;
  loginConcurrencies: number[];
  profile: ProfileMode;
  /** Absolute: where the report (JSON + SVG) and any CPU profiles go. */
  output: string;
}

const ROOT = resolve(__dirname, '../../..');

export function commonKnobs(env: NodeJS.ProcessEnv = process.env): CommonKnobs {
  return {
    durationMs: secondsKnob(env, 'BENCH_DURATION', 15),
    rounds: countKnob(env, 'BENCH_ROUNDS', 3),
    warmupMs: secondsKnob(env, 'BENCH_WARMUP', 2),
    loginConcurrencies: listKnob(env, 'BENCH_LOGIN_CONCURRENCY', [2, 4, 8]),
    profile: profileKnob(env),
    output: resolve(ROOT, env.BENCH_OUTPUT ?? '.local/bench'),
  };
}

/** A number of seconds (0 or more, fractions allowed), returned in milliseconds. */
export function secondsKnob(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const seconds = env[name] === undefined ? fallback : Number(env[name]);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`${name} must be a number of seconds, not ${env[name]}`);
  return seconds * 1000;
}

/** A whole number of at least `min` (1 unless said). */
export function countKnob(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const count = env[name] === undefined ? fallback : Number(env[name]);
  if (!Number.isInteger(count) || count < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${env[name]}`);
  return count;
}

/** Comma-separated whole numbers of at least 1, e.g. `2,4,8`. */
export function listKnob(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1)) {
    throw new Error(`${name} must list whole numbers of at least 1 separated by commas, not ${raw}`);
  }
  return values;
}

function profileKnob(env: NodeJS.ProcessEnv): ProfileMode {
  const mode = env.BENCH_PROFILE ?? 'missed';
  if (mode !== 'missed' && mode !== 'always' && mode !== 'never')
    throw new Error(`BENCH_PROFILE must be missed, always or never, not ${mode}`);
  return mode;
}

/** A fresh folder name under the output for one profiled run's CPU profiles, one subfolder per service. */
export function profileDirectory(output: string, label: string, at = new Date()): string {
  return join(output, 'profiles', `${label}-${at.toISOString().replace(/[:.]/g, '-')}`);
}
