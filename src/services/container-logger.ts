import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/**
 * The container's Powertools Logger, handing each invocation a child logger of its own. A Logger keeps one Lambda
 * context (request id, cold start), which Powertools scopes per invocation only under the Lambda Managed Instances
 * runtime; invocations running at once anywhere else in one process (the local mode runs several) would overwrite
 * each other's, and every line would carry the last request id.
 */
export class ContainerLogger extends Logger {
  readonly #invocations = new WeakMap<Context, Logger>();
  #coldStart: boolean | undefined;

  /**
   * The logger of the invocation `context` belongs to, created on first use: its lines carry that invocation's
   * context whatever other invocations run at the same time. The same logger for the same context.
   */
  forInvocation(context: Context): Logger {
    const known = this.#invocations.get(context);
    if (known !== undefined) return known;
    const child = this.createChild() as ContainerLogger;
    // A new Logger counts itself cold; the container's logger knows whether this is the container's first invocation.
    child.#coldStart = this.getColdStart();
    child.addContext(context);
    this.#invocations.set(context, child);
    return child;
  }

  protected override getColdStart(): boolean {
    return this.#coldStart ?? super.getColdStart();
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    return new ContainerLogger(options);
  }
}
