/** What one provider's window holds at a given moment. */
export interface WindowFigures {
  /** First instant still counted: the start of the oldest bucket inside the window. */
  windowStart: Date;
  windowEnd: Date;
  /** Calls that reached (or tried to reach) the provider: sent, failed and retried outcomes. */
  attempted: number;
  failed: number;
  /** sent / attempted, or null when nothing was attempted (no evidence either way). */
  successRate: number | null;
}

/** The window is cut into this many buckets: one a minute for the default 15-minute window. */
export const BUCKETS_PER_WINDOW = 15;

interface Bucket {
  attempted: number;
  failed: number;
}

/**
 * Success rate of one provider over a sliding window. Outcomes are counted into fixed buckets, not
 * kept one by one, so memory stays bounded (at most BUCKETS_PER_WINDOW + 1 buckets) however much
 * mail goes out; the price is that the window's trailing edge moves in bucket-sized steps.
 * Pure: every method takes the current time.
 */
export class SuccessWindow {
  readonly bucketMs: number;
  private readonly buckets = new Map<number, Bucket>();

  constructor(readonly windowMs: number) {
    if (!(windowMs > 0)) throw new Error('the window must be longer than 0 ms');
    this.bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW));
  }

  add(now: Date, succeeded: boolean): void {
    this.prune(now);
    const start = this.bucketStart(now.getTime());
    const bucket = this.buckets.get(start) ?? { attempted: 0, failed: 0 };
    bucket.attempted += 1;
    if (!succeeded) bucket.failed += 1;
    this.buckets.set(start, bucket);
  }

  figures(now: Date): WindowFigures {
    this.prune(now);
    const oldest = this.oldestCountedStart(now.getTime());
    let attempted = 0;
    let failed = 0;
    for (const [start, bucket] of this.buckets) {
      // A clock that stepped back could leave a bucket "in the future"; it still happened, so it counts.
      if (start < oldest) continue;
      attempted += bucket.attempted;
      failed += bucket.failed;
    }
    return {
      windowStart: new Date(oldest),
      windowEnd: now,
      attempted,
      failed,
      successRate: attempted === 0 ? null : (attempted - failed) / attempted,
    };
  }

  /** Buckets that have slid out entirely are dropped, which is what keeps the map small. */
  private prune(now: Date): void {
    const oldest = this.oldestCountedStart(now.getTime());
    for (const start of this.buckets.keys()) if (start < oldest) this.buckets.delete(start);
  }

  /** The first bucket that starts after `now - window`: a bucket is counted while all of it is inside. */
  private oldestCountedStart(nowMs: number): number {
    return this.bucketStart(nowMs - this.windowMs) + this.bucketMs;
  }

  private bucketStart(ms: number): number {
    return Math.floor(ms / this.bucketMs) * this.bucketMs;
  }

  /** For tests: how many buckets are held. */
  get size(): number {
    return this.buckets.size;
  }
}
