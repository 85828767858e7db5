import { closingLine, jestCounts, sumCounts } from '../src/test-counts';

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
});
