import { failedLogins, peerFigures, peerTable, type PeerMeasurements } from './peer-figures';
import { percentile, type LoadResult } from './load';

const result = (perSecond: number, failed = 0, firstError?: string): LoadResult => {
  const latenciesMs = Array.from({ length: perSecond * 10 }, (_, i) => 100 + i);
  return {
    concurrency: 4,
    perSecond,
    completed: latenciesMs.length,
    failed,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    durationMs: 10_000,
    latenciesMs,
    ...(firstError ? { firstError } : {}),
  };
};

const measured: PeerMeasurements = new Map([
  [2, { ours: result(30), keycloak: result(20), kratos: result(25), bound: result(60) }],
  [4, { ours: result(40), keycloak: result(16), kratos: result(32), bound: result(80) }],
]);

test('ours ÷ each peer is judged at concurrency 4 only, against its own target', () => {
  const figures = peerFigures(measured);
  const byName = new Map(figures.map((figure) => [figure.name, figure]));
  expect(byName.get('ours ÷ Keycloak at c=4')).toMatchObject({ value: 2.5, unit: '×', target: { op: '>=', value: 2 } });
  expect(byName.get('ours ÷ Kratos at c=4')).toMatchObject({ value: 1.25, target: { op: '>=', value: 1.6 } });
  expect(byName.get('ours ÷ Keycloak at c=2')!.target).toBeUndefined();
  expect(byName.get('ours ÷ Keycloak at c=4')!.detail).toMatchObject({ oursPerSecond: 40, keycloakPerSecond: 16, ours: { perSecond: 40 } });
  // The bound over both concurrencies: 1,400 verifications in 20 s.
  expect(byName.get('argon2id bound')).toMatchObject({ value: 70, detail: { 'between runs at c=2': 60, 'between runs at c=4': 80 } });
  expect(byName.get('Kratos logins at c=2')).toMatchObject({ value: 25, unit: '/s' });
  expect(byName.get('ours ÷ argon2id bound at c=4')).toMatchObject({ value: 0.5, detail: { logins: 40, bound: 80 } });
  expect(figures).toHaveLength(4 + 1 + 3 * 2 * 2);
  expect(figures.some((figure) => figure.profile)).toBe(false);
});

test('a profiled run points the judged figures at its profiles', () => {
  const profiled = peerFigures(measured, '/out/profiles/peers-x').filter((figure) => figure.profile);
  expect(profiled.map((figure) => figure.name)).toEqual(['ours ÷ Keycloak at c=4', 'ours ÷ Kratos at c=4']);
});

test('the table lists each concurrency side by side and ÷ the bound', () => {
  const table = peerTable(measured, 4);
  expect(table).toMatch(/^ 4 +40\.0 +[0-9]+ +[0-9]+ +16\.0 .* +2\.50 +1\.25$/m);
  expect(table).toContain("identity's hasher alone, 4 deep");
  expect(table).toContain('  c=2: bound 60.0/s; ours 0.50, Keycloak 0.33, Kratos 0.42');
});

test('any failed login voids the run, naming the system, concurrency and first error', () => {
  expect(failedLogins(measured)).toBeUndefined();
  const failing: PeerMeasurements = new Map([
    [4, { ours: result(40), keycloak: result(16, 3, 'keycloak token answered 503'), kratos: result(32), bound: result(80) }],
  ]);
  expect(failedLogins(failing)).toBe('failed logins in keycloak@4 (3: keycloak token answered 503)');
});
