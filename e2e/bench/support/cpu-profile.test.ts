import { summariseProfile, type CpuProfile } from './cpu-profile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('parse', 'file:///repo/node_modules/pino/lib/tools.js', 9) },
    { id: 3, callFrame: frame('handle', 'file:///repo/services/gateway/dist/src/main.js', 41), children: [9] },
    // The same function reached by another caller: one more node, one function.
    { id: 4, callFrame: frame('parse', 'file:///repo/node_modules/pino/lib/tools.js', 9) },
    { id: 5, callFrame: frame('', 'node:internal/timers', 2) },
    { id: 6, callFrame: frame('(idle)') },
    { id: 7, callFrame: frame('compile', 'file:///repo/node_modules/@scope/lib/index.js', 0) },
    // A native write called from our handler: its time is the handler's package's.
    { id: 9, callFrame: frame('write', 'node:net', 10), children: [8] },
    { id: 8, callFrame: frame('writev') },
  ],
  samples: [2, 3, 4, 6, 5, 2, 6, 7, 8],
  timeDeltas: [1_000, 2_000, 3_000, 4_000, 500, 1_000, 0, 500, 2_000],
};

test('charges each sample to the function on top, sums a function reached through several callers, and sets idle apart', () => {
  expect(summariseProfile(profile, 10, '/repo')).toEqual({
    busyMs: 10,
    idlePercent: 28.6,
    top: [
      { function: 'parse (pino/lib/tools.js:10)', selfMs: 5, percent: 50 },
      { function: 'handle (services/gateway/dist/src/main.js:42)', selfMs: 2, percent: 20 },
      { function: 'writev', selfMs: 2, percent: 20 },
      { function: '(anonymous) (node:internal/timers:3)', selfMs: 0.5, percent: 5 },
      { function: 'compile (@scope/lib/index.js:1)', selfMs: 0.5, percent: 5 },
    ],
    byPackage: [
      { package: 'pino', percent: 50 },
      { package: 'services/gateway', percent: 40 },
      { package: 'node', percent: 5 },
      { package: '@scope/lib', percent: 5 },
    ],
  });
});

test('keeps only the requested number of functions and survives an empty profile', () => {
  expect(summariseProfile(profile, 1).top.map((entry) => entry.function)).toEqual(['parse (pino/lib/tools.js:10)']);
  expect(summariseProfile({ nodes: [], samples: [], timeDeltas: [] })).toEqual({ busyMs: 0, idlePercent: 0, top: [], byPackage: [] });
});
