/**
 * What `npm run bench:peers` makes of its measurements: the side-by-side table, the figures (ours ÷
 * each peer, judged at JUDGED_AT; each system's logins and ÷ the argon2id bound measured between
 * them) and the failed logins that void the run. Kept apart from the run so that it is tested
 * without the peers.
 */
import { loadDetail, ratioFigure } from './figures';
import { mergeLoads, type LoadResult } from './load';
import type { Figure } from './report';

/** The concurrency the targets are judged at: the one the peers were first measured at. */
export const JUDGED_AT = 4;
export const SYSTEMS = ['ours', 'keycloak', 'kratos'] as const;
export type System = (typeof SYSTEMS)[number];
export const TITLE: Record<System, string> = { ours: 'ours', keycloak: 'Keycloak', kratos: 'Kratos' };
const TARGET: Record<Exclude<System, 'ours'>, number> = { keycloak: 2, kratos: 1.6 };

/** Each concurrency's merged results, for every system and the bound measured between them. */
export type PeerMeasurements = ReadonlyMap<number, Record<System | 'bound', LoadResult>>;

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const rate = (value: number) => value.toFixed(1);

export function peerTable(measured: PeerMeasurements, boundConcurrency: number): string {
  const lines = [
    `${'c'.padStart(2)}${SYSTEMS.map((s) => `${TITLE[s]} /s   p50   p99`.padStart(26)).join('')}${'ours÷Keycloak'.padStart(15)}${'ours÷Kratos'.padStart(13)}`,
  ];
  for (const [c, at] of measured) {
    const cells = SYSTEMS.map((s) => `${rate(at[s].perSecond)} ${ms(at[s].p50Ms).padStart(5)} ${ms(at[s].p99Ms).padStart(5)}`.padStart(26));
    const ratio = (peer: System) => (at.ours.perSecond / at[peer].perSecond).toFixed(2);
    lines.push(`${String(c).padStart(2)}${cells.join('')}${ratio('keycloak').padStart(15)}${ratio('kratos').padStart(13)}`);
  }
  lines.push('', `÷ the argon2id bound measured between them (identity's hasher alone, ${boundConcurrency} deep):`);
  for (const [c, at] of measured) {
    lines.push(
      `  c=${c}: bound ${rate(at.bound.perSecond)}/s; ${SYSTEMS.map((s) => `${TITLE[s]} ${(at[s].perSecond / at.bound.perSecond).toFixed(2)}`).join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** The figures, with `profile` on the judged ones when the run was profiled. */
export function peerFigures(measured: PeerMeasurements, profileDir?: string): Figure[] {
  const figures: Figure[] = [];
  for (const peer of ['keycloak', 'kratos'] as const) {
    for (const [c, at] of measured) {
      const figure = ratioFigure(
        `ours ÷ ${TITLE[peer]} at c=${c}`,
        { label: 'oursPerSecond', value: at.ours.perSecond },
        { label: `${peer}PerSecond`, value: at[peer].perSecond },
        TARGET[peer],
        { ours: loadDetail(at.ours), [peer]: loadDetail(at[peer]) },
      );
      if (c !== JUDGED_AT) delete figure.target;
      else if (profileDir) figure.profile = profileDir;
      figures.push(figure);
    }
  }
  const bounds = [...measured].map(([c, at]) => [c, at.bound] as const);
  figures.push({
    name: 'argon2id bound',
    value: mergeLoads(bounds.map(([, bound]) => bound)).perSecond,
    unit: 'verifications/s',
    detail: Object.fromEntries(bounds.map(([c, bound]) => [`between runs at c=${c}`, bound.perSecond])),
  });
  for (const system of SYSTEMS) {
    for (const [c, at] of measured) {
      figures.push({ name: `${TITLE[system]} logins at c=${c}`, value: at[system].perSecond, unit: '/s', detail: loadDetail(at[system]) });
      figures.push({
        name: `${TITLE[system]} ÷ argon2id bound at c=${c}`,
        value: at[system].perSecond / at.bound.perSecond,
        unit: '×',
        detail: { logins: at[system].perSecond, bound: at.bound.perSecond },
      });
    }
  }
  return figures;
}

/** Why the run proves nothing, if any system failed a login: each `system@concurrency` with its count and first error. */
export function failedLogins(measured: PeerMeasurements): string | undefined {
  const failures = [...measured].flatMap(([c, at]) =>
    SYSTEMS.filter((s) => at[s].failed > 0).map((s) => `${s}@${c} (${at[s].failed}: ${at[s].firstError})`),
  );
  return failures.length ? `failed logins in ${failures.join('; ')}` : undefined;
}
