import { startLoopbackReceiver } from '../../loopback-receiver';
import type { Printer } from './printer';

/** The receiver of the embedded default: prints every event it gets and answers 200. */
export interface EventPrinter {
  readonly url: string;
  readonly received: () => number;
  close(): Promise<void>;
}

const MAX_SHOWN = 2000;

// The payload as text when it is UTF-8, else as base64; long payloads are cut.
const showPayload = (data: string): string => {
  const bytes = Buffer.from(data, 'base64');
  const text = new TextDecoder('utf-8', { fatal: true });
  let shown: string;
  try {
    shown = text.decode(bytes);
  } catch {
    shown = `(binary, base64) ${data}`;
  }
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}... (${bytes.length} bytes)` : shown;
};

/** One line for a forwarded body: shard, partition key and the decoded payload. */
export const describeEvent = (body: string, idempotencyKey: string | undefined): string => {
  let record: { partitionKey?: unknown; data?: unknown };
  try {
    record = JSON.parse(body) as typeof record;
  } catch {
    return `[receiver] a body that is not JSON (${body.length} bytes)`;
  }
  const shard = idempotencyKey?.split(':')[0] ?? 'unknown shard';
  const payload = typeof record.data === 'string' ? showPayload(record.data) : '(no data)';
  return `[receiver] ${shard} key=${String(record.partitionKey)}: ${payload}`;
};

/**
 * Starts a receiver on 127.0.0.1:`port` (0 picks a free port) that prints each event it gets (the decoded
 * payload) and answers 200, standing in for the user's service.
 */
export const startEventPrinter = async (print: Printer, port = 0): Promise<EventPrinter> => {
  let count = 0;
  const loopback = await startLoopbackReceiver(
    ({ headers, body }) => {
      count += 1;
      const key = headers['idempotency-key'];
      print.info(describeEvent(body, typeof key === 'string' ? key : undefined));
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' };
    },
    { port },
  );
  return { url: loopback.url, received: () => count, close: () => loopback.close() };
};
