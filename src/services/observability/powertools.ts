import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { config } from '../../environment';
import { redactSecrets } from './redaction';

/**
 * Structured JSON logger; every line passes through secret redaction. Powertools keeps each invocation's context
 * apart when invocations run at once (Lambda Managed Instances, the local mode), through Lambda's InvokeStore.
 */
export const logger = new Logger({ serviceName: config.serviceName, jsonReplacerFn: redactSecrets });

/** CloudWatch metrics in Embedded Metric Format, flushed once per invocation. */
export const metrics = new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName });

/**
 * X-Ray tracer, capturing the handler and every outgoing HTTP request; undefined when tracing is off. Loaded only
 * when on: the X-Ray SDK installs async hooks that tax every promise even while tracing is disabled.
 */
export const tracer: Tracer | undefined = config.tracingEnabled
  ? new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({
      serviceName: config.serviceName,
    })
  : undefined;
