import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** A UDP port on 127.0.0.1 standing in for the X-Ray daemon: it counts the segment documents sent to it. */
export interface TraceSink {
  /** `127.0.0.1:port`, for AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Segment documents received since the last call, which starts a new count. */
  take(): number;
  close(): Promise<void>;
}

// The daemon's protocol: a JSON header line, then the segment (or subsegment) document.
const isSegment = (message: Buffer): boolean => {
  const text = message.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) return false;
  try {
    const document = JSON.parse(text.slice(newline + 1)) as { trace_id?: unknown };
    return typeof document.trace_id === 'string';
  } catch {
    return false;
  }
};

/** Binds a UDP socket on a free port of 127.0.0.1 and counts the X-Ray segments sent to it. */
export const startTraceSink = async (): Promise<TraceSink> => {
  const socket = dgram.createSocket('udp4');
  let segments = 0;
  socket.on('message', (message) => {
    if (isSegment(message)) segments += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    take() {
      const taken = segments;
      segments = 0;
      return taken;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};
