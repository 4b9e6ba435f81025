/**
 * Opens after `threshold` consecutive transient failures across the batch, so an outage of the receiver costs a
 * few failed requests instead of a full timeout per record. Stays open for the rest of the invocation.
 * A threshold of 0 never opens.
 */
export class CircuitBreaker {
  #consecutive = 0;
  #open = false;

  constructor(private readonly threshold: number) {}

  get isOpen(): boolean {
    return this.#open;
  }

  recordSuccess(): void {
    this.#consecutive = 0;
  }

  recordTransientFailure(): void {
    this.#consecutive += 1;
    if (this.threshold > 0 && this.#consecutive >= this.threshold) this.#open = true;
  }
}
