import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Config } from '../../config';
import { redactSecrets } from './redaction';

/** The container's Powertools instances, created once at cold start. */
export interface Observability {
  /**
   * Structured JSON logger; every line passes through secret redaction. Powertools keeps each invocation's context
   * apart when invocations run at once (Lambda Managed Instances, the local mode), through Lambda's InvokeStore.
   */
  readonly logger: Logger;
  /** CloudWatch metrics in Embedded Metric Format, flushed once per invocation. */
  readonly metrics: Metrics;
  /** X-Ray tracer, capturing the handler and every outgoing HTTP request; undefined when tracing is off. */
  readonly tracer: Tracer | undefined;
}

/**
 * Creates the logger, metrics and tracer for the function's settings. The X-Ray SDK is loaded only when tracing is
 * on: it installs async hooks that tax every promise even while tracing is disabled.
 */
export const createObservability = (
  config: Pick<Config, 'serviceName' | 'metricsNamespace' | 'tracingEnabled'>,
): Observability => ({
  logger: new Logger({ serviceName: config.serviceName, jsonReplacerFn: redactSecrets }),
  metrics: new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName }),
  tracer: config.tracingEnabled
    ? new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer(
        {
          serviceName: config.serviceName,
        },
      )
    : undefined,
});
