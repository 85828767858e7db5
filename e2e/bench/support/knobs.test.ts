import { join } from 'node:path';
import { commonKnobs, countKnob, listKnob, profileDirectory, secondsKnob } from './knobs';

test('defaults when nothing is set', () => {
  const knobs = commonKnobs({});
  expect(knobs).toMatchObject({ durationMs: 15_000, rounds: 3, warmupMs: 2_000, loginConcurrencies: [2, 4, 8], profile: 'missed' });
  expect(knobs.output).toMatch(/\/\.local\/bench$/);
});

test('reads every common knob under its one name', () => {
  const knobs = commonKnobs({
    BENCH_DURATION: '3',
    BENCH_ROUNDS: '1',
    BENCH_WARMUP: '0.5',
    BENCH_LOGIN_CONCURRENCY: '4, 16',
    BENCH_PROFILE: 'never',
    BENCH_OUTPUT: '/tmp/somewhere',
  });
  expect(knobs).toEqual({
    durationMs: 3_000,
    rounds: 1,
    warmupMs: 500,
    loginConcurrencies: [4, 16],
    profile: 'never',
    output: '/tmp/somewhere',
  });
});

test('a knob that is not what it should be stops the run naming it', () => {
  expect(() => secondsKnob({ BENCH_DURATION: 'long' }, 'BENCH_DURATION', 15)).toThrow(
    'BENCH_DURATION must be a number of seconds, not long',
  );
  expect(() => secondsKnob({ BENCH_WARMUP: '-1' }, 'BENCH_WARMUP', 2)).toThrow(/BENCH_WARMUP/);
  expect(() => countKnob({ BENCH_ROUNDS: '0' }, 'BENCH_ROUNDS', 3)).toThrow('BENCH_ROUNDS must be a whole number of at least 1, not 0');
  expect(() => countKnob({ BENCH_ROUNDS: '1.5' }, 'BENCH_ROUNDS', 3)).toThrow(/BENCH_ROUNDS/);
  expect(countKnob({ BENCH_PURGE_ACCOUNTS: '0' }, 'BENCH_PURGE_ACCOUNTS', 10_000, 0)).toBe(0);
  expect(() => listKnob({ BENCH_LOGIN_CONCURRENCY: '2,,8' }, 'BENCH_LOGIN_CONCURRENCY', [4])).toThrow(/BENCH_LOGIN_CONCURRENCY/);
  expect(() => commonKnobs({ BENCH_PROFILE: '1' })).toThrow('BENCH_PROFILE must be missed, always or never, not 1');
});

test('a profiled run gets a folder of its own, named by the time', () => {
  expect(profileDirectory('/out', 'login', new Date('2026-11-28T18:20:01.500Z'))).toBe(
    join('/out', 'profiles', 'login-2026-11-28T18-20-01-500Z'),
  );
});
