import type { Logger } from '@aws-lambda-powertools/logger';
import { isObject } from '../../lib/guards';

const OMITTED = '[omitted]';

/**
 * The event as it may be logged without its payloads: every record's `kinesis.data` replaced by `[omitted]`. What
 * does not have the Kinesis event's shape is omitted whole, since anything in it may be a payload: an event without a
 * `Records` array, a record without a `kinesis` object. Never changes the event.
 */
export const withoutPayloads = (event: unknown): unknown => {
  const records = isObject(event) ? event.Records : undefined;
  if (!isObject(event) || !Array.isArray(records)) return OMITTED;
  return {
    ...event,
    Records: records.map((record: unknown) =>
      isObject(record) && isObject(record.kinesis)
        ? { ...record, kinesis: { ...record.kinesis, data: OMITTED } }
        : OMITTED,
    ),
  };
};

type InputOutput = { readonly event?: unknown; readonly response?: unknown };

/**
 * The line writer for Middy's input/output logger: the event at DEBUG (at INFO with POWERTOOLS_LOGGER_LOG_EVENT),
 * without payloads unless `logPayloads`; the response at DEBUG.
 */
export const inputOutputLine =
  (logger: Logger, logPayloads: boolean) =>
  (message: unknown): void => {
    const { event, response } = message as InputOutput;
    if (event === undefined) {
      logger.debug('input/output', { response });
      return;
    }
    const shown = { event: logPayloads ? event : withoutPayloads(event) };
    if (logger.shouldLogEvent()) logger.info('input/output', shown);
    else logger.debug('input/output', shown);
  };

/** True when some input/output line can be written at the logger's level, so the logger middleware is worth its cost. */
export const writesInputOutput = (logger: Logger): boolean =>
  logger.shouldLogEvent() || logger.getLevelName() === 'DEBUG';
