import { AdaptiveLimit, staticLimit } from '../../src/services/delivery/concurrency-limit';

/** Runs windows of `inFlight` requests (all the limit allows) answered after `rttMs`, on a clock the test moves. */
const harness = (options: { ceiling: number; initial?: number }) => {
  let clock = 0;
  const limit = new AdaptiveLimit({ ...options, now: () => clock, minWindowMs: 10 });
  /** One window: fill the limit, advance by `rttMs`, end every request with `feedback`; the limit after it. */
  const window = async (rttMs: number, overloaded = false): Promise<number> => {
    const count = limit.current();
    const startedAt = clock;
    for (let i = 0; i < count; i += 1) await limit.acquire();
    clock += rttMs;
    for (let i = 0; i < count; i += 1) {
      limit.release({ startedAt, rttMs: overloaded ? undefined : rttMs, overloaded });
    }
    return limit.current();
  };
  return { limit, window };
};

describe('AdaptiveLimit', () => {
  it('doubles each window until the first overload, then halves', async () => {
    const { window } = harness({ ceiling: 64 });

    const grown = [await window(20), await window(20), await window(20), await window(20)];
    const afterOverload = await window(20, true);

    expect(grown).toEqual([2, 4, 8, 16]);
    expect(afterOverload).toBe(8);
  });

  it('then grows by one per window, waits three windows after a decrease, and decreases by 0.9', async () => {
    const { window } = harness({ ceiling: 64, initial: 20 });
    await window(20, true); // the first overload ends the slow start: 10

    const steady = [await window(20), await window(20), await window(20), await window(20), await window(20)];
    const decreased = await window(20, true);

    expect(steady).toEqual([10, 10, 10, 11, 12]);
    expect(decreased).toBe(Math.floor(12 * 0.9));
  });

  it('decreases when the round-trip time rises well above its average', async () => {
    const { window } = harness({ ceiling: 64, initial: 8 });
    for (let i = 0; i < 5; i += 1) await window(20);
    const before = (await window(20)) as number;

    const after = await window(200);

    expect(after).toBeLessThan(before);
  });

  it("lowers the limit on the first refusal at once, and lets no request take the refused one's place", async () => {
    // Arrange: 10 requests in flight at a limit of 10, after the slow start.
    let clock = 0;
    const limit = new AdaptiveLimit({ ceiling: 64, initial: 20, now: () => clock, minWindowMs: 10 });
    limit.release({ startedAt: clock, rttMs: undefined, overloaded: true }); // 20 -> 10, slow start over
    clock += 1;
    const startedAt = clock;
    for (let i = 0; i < 10; i += 1) await limit.acquire();
    let waitingStarted = false;
    const waiting = limit.acquire().then(() => {
      waitingStarted = true;
    });

    // Act: one is refused a millisecond later, long before the window's round trip is over.
    clock += 1;
    limit.release({ startedAt, rttMs: undefined, overloaded: true });
    const afterOne = limit.current();
    // The other requests of that moment were refused too: they speak of the limit already lowered.
    for (let i = 0; i < 3; i += 1) limit.release({ startedAt, rttMs: undefined, overloaded: true });
    await Promise.resolve();

    // Assert: 9 at once; 6 in flight is under it, so the waiting request starts, and the limit stays at 9.
    expect(afterOne).toBe(9);
    expect(limit.current()).toBe(9);
    await waiting;
    expect(waitingStarted).toBe(true);
  });

  it('probes less often a capacity it was refused at again and again', async () => {
    const { window } = harness({ ceiling: 64, initial: 16 });
    await window(20, true); // 16 -> 8: the receiver serves 8
    /** Windows until the limit is above 8 again, and the limit after the refusal that follows. */
    const probe = async (): Promise<number> => {
      let windows = 0;
      while ((await window(20)) <= 8) windows += 1;
      await window(20, true);
      return windows;
    };

    const waits = [await probe(), await probe(), await probe(), await probe()];

    // Refused at 9 for the first time after the first probe, then again and again.
    expect(waits).toEqual([3, 3, 6, 12]);
  });

  it('takes one slow answer for no trend: it needs three in a window', async () => {
    let clock = 0;
    const limit = new AdaptiveLimit({ ceiling: 64, initial: 8, now: () => clock, minWindowMs: 10 });
    const steady = async () => {
      const startedAt = clock;
      for (let i = 0; i < 8; i += 1) await limit.acquire();
      clock += 20;
      for (let i = 0; i < 8; i += 1) limit.release({ startedAt, rttMs: 20, overloaded: false });
    };
    await steady();
    await steady();
    const before = limit.current();

    // One request alone, ten times slower, in a window of its own.
    const startedAt = clock;
    await limit.acquire();
    clock += 200;
    limit.release({ startedAt, rttMs: 200, overloaded: false });

    expect(limit.current()).toBeGreaterThanOrEqual(before);
  });

  it('never exceeds the ceiling, and grows only when its limit was used', async () => {
    let clock = 0;
    const limit = new AdaptiveLimit({ ceiling: 6, now: () => clock, minWindowMs: 10 });
    for (let i = 0; i < 10; i += 1) {
      const count = limit.current();
      const startedAt = clock;
      for (let j = 0; j < count; j += 1) await limit.acquire();
      clock += 20;
      for (let j = 0; j < count; j += 1) limit.release({ startedAt, rttMs: 20, overloaded: false });
    }
    expect(limit.current()).toBe(6);

    // A single request at a time, window after window: the limit is not used, so it does not move.
    const idle = new AdaptiveLimit({ ceiling: 64, initial: 4, now: () => clock, minWindowMs: 10 });
    for (let i = 0; i < 10; i += 1) {
      const startedAt = clock;
      await idle.acquire();
      clock += 20;
      idle.release({ startedAt, rttMs: 20, overloaded: false });
    }
    expect(idle.current()).toBe(4);
  });

  it('holds requests beyond the limit until one ends, first come first served', async () => {
    const limit = new AdaptiveLimit({ ceiling: 8, initial: 2 });
    await limit.acquire();
    await limit.acquire();
    const started: number[] = [];
    const third = limit.acquire().then(() => started.push(3));
    const fourth = limit.acquire().then(() => started.push(4));

    await Promise.resolve();
    expect(started).toEqual([]);
    limit.release();
    await third;
    expect(started).toEqual([3]);
    limit.release();
    await fourth;
    expect(started).toEqual([3, 4]);
  });
});

describe('staticLimit', () => {
  it('allows exactly its size, whatever the feedback', async () => {
    const limit = staticLimit(2);
    await limit.acquire();
    await limit.acquire();
    let third = false;
    const waiting = limit.acquire().then(() => {
      third = true;
    });

    limit.release({ startedAt: 0, rttMs: undefined, overloaded: true });
    await waiting;

    expect(third).toBe(true);
    expect(limit.current()).toBe(2);
  });
});
