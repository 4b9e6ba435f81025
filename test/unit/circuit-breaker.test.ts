import { Semaphore } from '../../src/lib/semaphore';
import { CircuitBreaker } from '../../src/services/delivery/circuit-breaker';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive transient failures', () => {
    const breaker = new CircuitBreaker(3);
    breaker.recordTransientFailure();
    breaker.recordTransientFailure();
    expect(breaker.isOpen).toBe(false);

    breaker.recordTransientFailure();

    expect(breaker.isOpen).toBe(true);
  });

  it('starts counting again after a success', () => {
    const breaker = new CircuitBreaker(2);
    breaker.recordTransientFailure();
    breaker.recordSuccess();
    breaker.recordTransientFailure();

    expect(breaker.isOpen).toBe(false);
  });

  it('never opens with a threshold of 0', () => {
    const breaker = new CircuitBreaker(0);
    for (let i = 0; i < 100; i += 1) breaker.recordTransientFailure();

    expect(breaker.isOpen).toBe(false);
  });
});

describe('Semaphore', () => {
  it('hands out permits first in, first out', async () => {
    const semaphore = new Semaphore(1);
    const order: number[] = [];
    await semaphore.acquire();

    const waiting = [1, 2, 3].map((n) => semaphore.acquire().then(() => order.push(n)));
    semaphore.release();
    await waiting[0];
    semaphore.release();
    await waiting[1];
    semaphore.release();
    await Promise.all(waiting);

    expect(order).toEqual([1, 2, 3]);
  });
});
