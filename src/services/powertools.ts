import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { config } from '../environment';
import { redactSecrets } from './redaction';

/** Structured JSON logger; every line passes through secret redaction. */
export const logger = new Logger({ serviceName: config.serviceName, jsonReplacerFn: redactSecrets });

/** CloudWatch metrics in Embedded Metric Format, flushed once per invocation. */
export const metrics = new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName });

/** X-Ray tracer; also captures the outgoing HTTP requests. */
export const tracer = new Tracer({ serviceName: config.serviceName });
