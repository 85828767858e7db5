import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closingLine, jestCounts, readStep, sumCounts } from '../src/test-counts';

const jestReport = (passed: number, failed: number, pending = 0, brokenSuites = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: 0,
  numRuntimeErrorTestSuites: brokenSuites,
  testResults: [],
});

describe('the closing line of npm test', () => {
  it('sums Jest, fuzzing and chaos in the form log readers take for a test count', () => {
    const line = closingLine(
      sumCounts([
        { status: 0, counts: jestCounts(jestReport(1435, 0)) },
        { status: 0, counts: { passed: 5232, failed: 0, skipped: 30 } },
        { status: 0, counts: jestCounts(jestReport(6, 0)) },
      ]),
    );
    expect(line).toBe('6673 passed, 0 failed, 30 skipped');
    expect(line).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/);
  });

  it('leaves out skipped when nothing was skipped, and steps that did not run', () => {
    expect(closingLine(sumCounts([{ status: 0, counts: jestCounts(jestReport(3, 0)) }, { status: 'skipped' }]))).toBe('3 passed, 0 failed');
  });

  it('counts failed tests and suites that could not run', () => {
    expect(closingLine(sumCounts([{ status: 1, counts: jestCounts(jestReport(10, 2, 1, 1)) }]))).toBe('10 passed, 3 failed, 1 skipped');
  });

  it('never says 0 failed for a step that failed without counting a failure', () => {
    expect(closingLine(sumCounts([{ status: 0, counts: jestCounts(jestReport(5, 0)) }, { status: 1 }]))).toBe('5 passed, 1 failed');
    expect(closingLine(sumCounts([{ status: 2, counts: { passed: 100, failed: 0, skipped: 0 } }]))).toBe('100 passed, 1 failed');
  });

  it('refuses a Jest report without counts rather than reading it as zero', () => {
    expect(() => jestCounts({ success: true })).toThrow();
  });

  describe('reading the steps scripts/test.sh names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-counts-'));
    const file = (name: string, json: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(json));
      return path;
    };

    it('reads the main and chaos suites as Jest reports and the fuzz counts as counts', () => {
      const steps = [
        `jest:0:${file('jest.json', jestReport(1494, 0))}`,
        `counts:0:${file('counts.json', { passed: 5230, failed: 0, skipped: 30 })}`,
        `jest:0:${file('chaos.json', jestReport(6, 0))}`,
      ].map(readStep);
      expect(closingLine(sumCounts(steps))).toBe('6730 passed, 0 failed, 30 skipped');
    });

    it('takes a step that did not run as nothing, and a missing report of a failed step as one failure', () => {
      expect(readStep('counts:skipped:/nowhere')).toEqual({ status: 'skipped' });
      expect(closingLine(sumCounts([readStep(`jest:1:${join(dir, 'absent.json')}`)]))).toBe('0 passed, 1 failed');
    });

    it('refuses a format it does not know rather than guessing', () => {
      expect(() => readStep(`chaos:0:${file('other.json', jestReport(1, 0))}`)).toThrow(/unknown counts format/);
    });
  });
});
