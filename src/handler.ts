import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import errorLogger from '@middy/error-logger';
import inputOutputLogger from '@middy/input-output-logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { parseConfig } from './config';
import { credentialsLoader } from './middleware/credentials-loader';
import { kinesisEventValidator } from './middleware/kinesis-event-validator';
import { credentialsFor } from './services/auth/credentials';
import { createSecretReader } from './services/auth/secret-reader';
import { ledgerFor } from './services/delivery/ledger';
import { createForwarder } from './services/forwarder';
import { createHttpClient } from './services/http/http-client';
import { reportBatch, reportInvocationError } from './services/observability/batch-report';
import { inputOutputLine, writesInputOutput } from './services/observability/loggable-event';
import { createObservability } from './services/observability/powertools';

// Cold start: the one place the function reads its environment; an invalid one fails initialisation.
const config = parseConfig(process.env);
const { logger, metrics, tracer } = createObservability(config);

// Created once per container: connection pools, the token and the signing keys outlive invocations.
const keys = credentialsFor(config, createSecretReader({ logger, tracer }));
const forwarder = createForwarder({
  config,
  post: createHttpClient(config),
  credentials: keys,
  ledger: ledgerFor(config, { tracer }),
});

const forwardBatch = async (event: KinesisStreamEvent, context: Context) => {
  const batch = await forwarder.startBatch(event.Records, context);
  try {
    const undelivered = await batch.run();
    // Powertools builds the partial batch response from the records not delivered, and only from them. A processor
    // per invocation: it holds the batch's state, and invocations may run at once (the local mode, Managed
    // Instances). Its answer is checked against those records before it goes to Lambda.
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    const response = await processPartialResponse(
      { ...event, Records: undelivered },
      batch.report,
      processor,
      {
        context,
        throwOnFullBatchFailure: false,
      },
    );
    return batch.respond(response as KinesisStreamBatchResponse);
  } finally {
    reportBatch(await batch.finish(), context.awsRequestId, logger, metrics);
  }
};

export const handler = middy<KinesisStreamEvent, KinesisStreamBatchResponse>()
  .use(tracer ? [captureLambdaHandler(tracer)] : [])
  // The event is logged by the input/output logger below, without its payloads.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(errorLogger({ logger: ({ error }) => reportInvocationError(error, logger, metrics) }))
  .use(
    writesInputOutput(logger)
      ? [inputOutputLogger({ logger: inputOutputLine(logger, config.logPayloads) })]
      : [],
  )
  .use(kinesisEventValidator())
  .use(credentialsLoader({ credentials: keys, deadlineMarginMs: config.deadlineMarginMs }))
  .handler(forwardBatch);
