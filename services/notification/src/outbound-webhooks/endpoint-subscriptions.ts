export interface Subscription {
  _id: string;
  enabled: boolean;
  eventTypes: string[];
}

export interface Subscribers {
  /** Get the event now. */
  enabled: string[];
  /** Any endpoint wants it, a disabled one too (it may replay it once enabled again). */
  any: boolean;
}

const NONE: Subscribers = { enabled: [], any: false };

interface Snapshot {
  byType: Map<string, Subscribers>;
  /** When its read started: it shows every endpoint written before then. */
  readAt: number;
}

function index(subscriptions: Subscription[]): Map<string, Subscribers> {
  const byType = new Map<string, Subscribers>();
  for (const { _id, enabled, eventTypes } of subscriptions) {
    for (const type of eventTypes) {
      const subscribers = byType.get(type) ?? { enabled: [], any: true };
      if (enabled) subscribers.enabled.push(_id);
      byType.set(type, subscribers);
    }
  }
  return byType;
}

/**
 * Which endpoints want which event type, read once per `ttlMs` rather than for every event: most
 * public events (each sign-in's LoginSucceeded) go to no endpoint, and then cost no database work.
 * The bound is the rule docs/events.md states: an endpoint written on another replica gets every
 * event queued `ttlMs` or more after the write; this replica's own writes apply at once.
 */
export class EndpointSubscriptions {
  private current: Snapshot | null = null;
  private reading: { promise: Promise<Snapshot>; startedAt: number } | null = null;
  /** Bumped by each write here, so a read that started before it cannot install what it replaced. */
  private generation = 0;

  constructor(
    private readonly load: () => Promise<Subscription[]>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async of(eventType: string): Promise<Subscribers> {
    return (await this.snapshot()).byType.get(eventType) ?? NONE;
  }

  /** After a write on this replica: the next event reads the endpoints again. */
  invalidate(): void {
    this.generation += 1;
    this.current = null;
    this.reading = null;
  }

  private snapshot(): Promise<Snapshot> {
    const now = this.now();
    if (this.current && now - this.current.readAt < this.ttlMs) return Promise.resolve(this.current);
    // Events arriving together share one read, as long as it is as fresh as a cached one may be.
    if (this.reading && now - this.reading.startedAt < this.ttlMs) return this.reading.promise;
    const generation = this.generation;
    const promise = this.load().then((subscriptions) => {
      const snapshot = { byType: index(subscriptions), readAt: now };
      if (generation === this.generation) this.current = snapshot;
      return snapshot;
    });
    this.reading = { promise, startedAt: now };
    // A failed read is not kept: the next event tries again.
    promise.catch(() => {
      if (this.reading?.promise === promise) this.reading = null;
    });
    return promise;
  }
}
