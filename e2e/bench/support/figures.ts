import type { Figure } from './report';
import type { LoadResult } from './load';

/** One side of a ratio: what was measured, and its value. */
export interface Side {
  label: string;
  value: number;
}

/** A figure that is one measurement divided by another taken in the same run, so the machine's state cancels out. */
export function ratioFigure(
  name: string,
  numerator: Side,
  denominator: Side,
  target: number,
  detail: Record<string, unknown> = {},
): Figure {
  return {
    name,
    value: denominator.value > 0 ? numerator.value / denominator.value : Number.NaN,
    unit: '×',
    target: { op: '>=', value: target },
    detail: { [numerator.label]: numerator.value, [denominator.label]: denominator.value, ...detail },
  };
}

/** What a load figure keeps of a run: enough to judge it, without the raw latencies. */
export function loadDetail(result: LoadResult): Record<string, unknown> {
  return {
    concurrency: result.concurrency,
    perSecond: round(result.perSecond),
    p50Ms: round(result.p50Ms),
    p99Ms: round(result.p99Ms),
    completed: result.completed,
    failed: result.failed,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
  };
}

export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
}

/**
 * Register → verification email accepted by SMTP, against what the pipeline is made of: one Kafka hop
 * (identity's outbox → notification) and one SMTP send. The target is p99 ≤ 3 × the raw Kafka round
 * trip's p99 plus the raw SMTP send's p99; the figure is p99 ÷ that bound, so ≤ 1 meets it. The p50s
 * are compared the same way, for information.
 */
export function emailLatencyFigures(
  email: Percentiles,
  kafka: Percentiles,
  smtp: Percentiles,
  detail: Record<string, unknown> = {},
): Figure[] {
  const bound = (q: keyof Percentiles) => 3 * kafka[q] + smtp[q];
  const sides = {
    emailP50Ms: round(email.p50Ms),
    emailP99Ms: round(email.p99Ms),
    kafkaRoundTripP50Ms: round(kafka.p50Ms),
    kafkaRoundTripP99Ms: round(kafka.p99Ms),
    smtpSendP50Ms: round(smtp.p50Ms),
    smtpSendP99Ms: round(smtp.p99Ms),
  };
  return [
    {
      name: 'register → email p99 ÷ (3×Kafka + SMTP) p99',
      value: email.p99Ms / bound('p99Ms'),
      unit: '×',
      target: { op: '<=', value: 1 },
      detail: { ...sides, boundP99Ms: round(bound('p99Ms')), ...detail },
    },
    {
      name: 'register → email p50 ÷ (3×Kafka + SMTP) p50',
      value: email.p50Ms / bound('p50Ms'),
      unit: '×',
      detail: { ...sides, boundP50Ms: round(bound('p50Ms')) },
    },
  ];
}

/** The peak resident set (VmHWM) in MB from the text of `/proc/<pid>/status`; NaN when absent. */
export function peakRssMb(status: string): number {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
