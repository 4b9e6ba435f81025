import { isObject } from './event-validation';

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
