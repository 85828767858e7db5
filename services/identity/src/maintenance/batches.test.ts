import { setTimeout as sleep } from 'node:timers/promises';
import { drain, eachWithLimit } from './batches';

describe('batches', () => {
  it('visits every item once with no more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await eachWithLimit([...Array(50).keys()], 4, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(item);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(most).toBe(4);
  });

  it('starts nothing after a failure and throws it only once the items in flight are done', async () => {
    const finished: number[] = [];
    const run = eachWithLimit([0, 1, 2, 3, 4, 5], 2, async (item) => {
      if (item === 0) throw new Error('first fails');
      await sleep(20);
      finished.push(item);
    });
    await expect(run).rejects.toThrow('first fails');
    expect(finished).toEqual([1]);
  });

  it('drains pages until one is empty, reporting progress after each', async () => {
    const pages = [3, 2, 0, 5];
    let progress = 0;
    expect(
      await drain(
        async () => pages.shift()!,
        async () => void progress++,
      ),
    ).toBe(5);
    expect(progress).toBe(2);
  });
});
