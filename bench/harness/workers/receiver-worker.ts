// Child process: the loopback receiver, so its CPU is not counted against the variants, and a stand-in for the X-Ray
// daemon. Arguments: response latency in ms and, optionally, how many requests it serves at once (503 beyond).
// Sends { type: 'ready', url, daemonAddress }, answers { type: 'take' } with the tally and the segments received.
import { startLatencyReceiver } from '../latency-receiver';
import { startTraceSink } from '../trace-sink';

const [latencyArg, capacityArg] = process.argv.slice(2);
const latencyMs = Number(latencyArg);
if (!Number.isInteger(latencyMs) || latencyMs < 0) {
  throw new Error(`receiver latency must be a non-negative integer of ms, got "${latencyArg}"`);
}
const capacity = capacityArg === undefined ? undefined : Number(capacityArg);
if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 1)) {
  throw new Error(`receiver capacity must be a positive integer, got "${capacityArg}"`);
}

const receiver = await startLatencyReceiver({ latencyMs, capacity });
const traces = await startTraceSink();
process.on('message', (message: { type?: string }) => {
  if (message.type === 'take') process.send?.({ type: 'tally', ...receiver.take(), segments: traces.take() });
});
// The parent closing the channel is the signal to stop.
process.once('disconnect', () => {
  void receiver.close();
  void traces.close();
});
process.send?.({ type: 'ready', url: receiver.url, daemonAddress: traces.address });
