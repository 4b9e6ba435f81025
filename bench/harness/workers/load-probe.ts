// Child process: times require() of one bundle in a fresh process. Arguments: the bundle's absolute path and,
// optionally, a file to write a CPU profile of the require() to. Replies { type: 'result', requireMs }.
import { createRequire } from 'node:module';
import type { LoadMeasurement } from '../jobs';
import { startProfiling } from '../profiler';

const [bundlePath = '', profileFile] = process.argv.slice(2);
const load = createRequire(bundlePath);
const profiler = profileFile === undefined ? undefined : await startProfiling(profileFile);
const started = performance.now();
load(bundlePath);
const result: LoadMeasurement = { requireMs: performance.now() - started };
await profiler?.stop();
// Exit explicitly: a loaded handler may hold timers or sockets open.
process.send?.({ type: 'result', ...result }, () => process.exit(0));
