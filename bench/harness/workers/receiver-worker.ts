// Child process: the loopback receiver, so its CPU is not counted against the variants.
// Argument: response latency in ms. Sends { type: 'ready', url }, answers { type: 'take' } with the tally.
import { startLatencyReceiver } from '../latency-receiver';

const latencyMs = Number(process.argv[2]);
if (!Number.isInteger(latencyMs) || latencyMs < 0) {
  throw new Error(`receiver latency must be a non-negative integer of ms, got "${process.argv[2]}"`);
}

const receiver = await startLatencyReceiver(latencyMs);
process.on('message', (message: { type?: string }) => {
  if (message.type === 'take') process.send?.({ type: 'tally', ...receiver.take() });
});
// The parent closing the channel is the signal to stop.
process.once('disconnect', () => {
  void receiver.close();
});
process.send?.({ type: 'ready', url: receiver.url });
