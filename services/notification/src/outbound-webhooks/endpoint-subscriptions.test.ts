import { EndpointSubscriptions, type Subscription } from './endpoint-subscriptions';

const TTL = 1_000;

/** Endpoints as the database holds them, each read counted; `hold` keeps the next read pending. */
function endpoints(initial: Subscription[]) {
  const state = { rows: initial, reads: 0, held: null as null | (() => void) };
  const load = async () => {
    state.reads += 1;
    const rows = [...state.rows];
    if (state.held === null) return rows;
    await new Promise<void>((resolve) => (state.held = resolve));
    return rows;
  };
  return { state, load };
}

describe('EndpointSubscriptions', () => {
  it('answers from one read until the TTL has passed, then reads again', async () => {
    let now = 0;
    const db = endpoints([{ _id: 'wh_a', enabled: true, eventTypes: ['UserRegistered'] }]);
    const subscriptions = new EndpointSubscriptions(db.load, TTL, () => now);

    expect(await subscriptions.of('UserRegistered')).toEqual({ enabled: ['wh_a'], any: true });
    db.state.rows = [...db.state.rows, { _id: 'wh_b', enabled: false, eventTypes: ['LoginSucceeded'] }];
    now = TTL - 1;
    expect(await subscriptions.of('LoginSucceeded')).toEqual({ enabled: [], any: false });
    now = TTL;
    expect(await subscriptions.of('LoginSucceeded')).toEqual({ enabled: [], any: true });
    expect(db.state.reads).toBe(2);
  });

  it('reads again at once after a write on this replica', async () => {
    const db = endpoints([]);
    const subscriptions = new EndpointSubscriptions(db.load, TTL, () => 0);
    await subscriptions.of('LoginSucceeded');

    db.state.rows = [{ _id: 'wh_a', enabled: true, eventTypes: ['LoginSucceeded'] }];
    subscriptions.invalidate();

    expect(await subscriptions.of('LoginSucceeded')).toEqual({ enabled: ['wh_a'], any: true });
  });

  it('does not keep a read that started before a write', async () => {
    const db = endpoints([]);
    const subscriptions = new EndpointSubscriptions(db.load, TTL, () => 0);
    db.state.held = () => undefined;
    const before = subscriptions.of('LoginSucceeded');
    await Promise.resolve();

    db.state.rows = [{ _id: 'wh_a', enabled: true, eventTypes: ['LoginSucceeded'] }];
    subscriptions.invalidate();
    const release = db.state.held;
    db.state.held = null;
    release();

    expect(await before).toEqual({ enabled: [], any: false });
    expect(await subscriptions.of('LoginSucceeded')).toEqual({ enabled: ['wh_a'], any: true });
  });

  it('shares one read between events arriving together, and tries again after a failed one', async () => {
    let fail = true;
    let reads = 0;
    const load = async () => {
      reads += 1;
      if (fail) throw new Error('database away');
      return [];
    };
    const subscriptions = new EndpointSubscriptions(load, TTL, () => 0);

    await expect(Promise.all([subscriptions.of('LoginSucceeded'), subscriptions.of('UserRegistered')])).rejects.toThrow('database away');
    fail = false;

    expect(await subscriptions.of('LoginSucceeded')).toEqual({ enabled: [], any: false });
    expect(reads).toBe(2);
  });
});
