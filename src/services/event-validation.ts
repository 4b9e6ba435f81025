import { displayValue } from '../lib/display';
import { isObject } from '../lib/guards';
import { headerValueProblem } from '../lib/header-value';

/** Thrown when an invocation's event is not a Kinesis stream event; nothing of it is sent. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid Kinesis stream event: ${problems.join('; ')}`);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DIGITS = /^\d+$/;
// What an event source's name looks like (`aws:sqs`), worth naming in a hint.
const SOURCE_NAME = /^[\w:.-]{1,40}$/;

// Strings are quoted bounded: a value of any size may arrive here.
const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return displayValue(value);
  return typeof value;
};

// The payload is never quoted: only what kind of value it is.
const describeData = (data: unknown): string =>
  typeof data === 'string'
    ? `a string of ${data.length} characters that is not base64 (not shown: it is the record's payload)`
    : describe(data);

/** True for a plain object (not null, not an array). */

const recordProblems = (record: unknown, at: string): string[] => {
  if (!isObject(record)) return [`${at} must be an object, got ${describe(record)}`];
  const problems: string[] = [];
  if (record.eventSource !== 'aws:kinesis') {
    const { eventSource } = record;
    const hint =
      typeof eventSource === 'string' && SOURCE_NAME.test(eventSource)
        ? ` (an event from ${eventSource}, not Kinesis)`
        : '';
    problems.push(`${at}.eventSource must be "aws:kinesis", got ${describe(eventSource)}${hint}`);
  }
  const { eventID } = record;
  if (typeof eventID !== 'string' || eventID === '') {
    problems.push(`${at}.eventID must be a non-empty string, got ${describe(eventID)}`);
  } else {
    // Sent as the Idempotency-Key header exactly as received, so the receiver can de-duplicate by it.
    const problem = headerValueProblem(eventID);
    if (problem !== undefined)
      problems.push(`${at}.eventID cannot be sent as the Idempotency-Key header: ${problem}`);
  }
  const { kinesis } = record;
  if (!isObject(kinesis)) {
    problems.push(`${at}.kinesis must be an object, got ${describe(kinesis)}`);
    return problems;
  }
  const { data, partitionKey, sequenceNumber } = kinesis;
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) {
    problems.push(`${at}.kinesis.data must be a base64 string, got ${describeData(data)}`);
  }
  if (typeof partitionKey !== 'string' || partitionKey === '') {
    problems.push(`${at}.kinesis.partitionKey must be a non-empty string, got ${describe(partitionKey)}`);
  }
  if (typeof sequenceNumber !== 'string' || !DIGITS.test(sequenceNumber)) {
    problems.push(`${at}.kinesis.sequenceNumber must be a string of digits, got ${describe(sequenceNumber)}`);
  }
  return problems;
};

/**
 * Lists what keeps `event` from being a Kinesis stream event (tumbling-window events included), at most
 * `limit` problems; empty when it is one. Reads only: the event is never changed.
 */
export const findEventProblems = (event: unknown, limit: number): string[] => {
  if (!isObject(event)) return [`the event must be an object with a Records array, got ${describe(event)}`];
  if (!Array.isArray(event.Records)) {
    return [`event.Records must be an array of Kinesis records, got ${describe(event.Records)}`];
  }
  const problems: string[] = [];
  for (const [index, record] of event.Records.entries()) {
    problems.push(...recordProblems(record, `Records[${index}]`));
    if (problems.length >= limit) return [...problems.slice(0, limit), 'further problems not listed'];
  }
  return problems;
};
