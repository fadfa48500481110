// `node tests/bench/worker-profile.mjs`: where the extension's service worker
// spends its time during the bench's burst with deliveries running, function
// by function. A developer's tool beside `npm run bench` (which says how
// much; this says where). Prints, asserts nothing.
//
// It profiles the unminified test build (tests/bench/wxt.readable.config.ts,
// in .output-bench-page/, shared with page-profile.mjs). The burst is sent
// once to warm up, then once more under a 200 µs sampling CPU profile of the
// worker. A native frame (fetch, storage, crypto) is named with the script
// frame that called it. BENCH_WORKER_STANZAS / BENCH_WORKER_CHATS /
// BENCH_WORKER_MS change the burst (default 5000 over 500 chats in 1500 ms).
import { readableBuild, startWithExtension } from './browsers.mjs';
import { selfTimes, workerSession } from './cdp.mjs';
import { plan, runPhase } from './driver.mjs';
import { loadavg, ms, num, percentile, sleep, table } from './stats.mjs';

const N = Number(process.env.BENCH_WORKER_STANZAS ?? 5000);
const CHATS = Number(process.env.BENCH_WORKER_CHATS ?? 500);
const DURATION = Number(process.env.BENCH_WORKER_MS ?? 1500);
const TOP = 30;
const progress = (text) => process.stderr.write(`[worker-profile] ${text}\n`);

const BUILD = readableBuild(progress);

const load0 = loadavg();
const stack = await startWithExtension({ extensionDir: BUILD });
let phase;
let profile;
try {
  const worker = await workerSession(stack.browser.context, stack.page);
  const env = { sim: stack.sim, receiver: stack.receiver, page: stack.page };
  progress('warm-up burst');
  await runPhase(env, plan({ tag: 21, chats: CHATS, changes: N }), { durationMs: DURATION, capMs: 20_000 });
  await sleep(2000);
  progress('burst under a 200 µs CPU profile of the worker');
  await worker.send('Profiler.enable');
  await worker.send('Profiler.setSamplingInterval', { interval: 200 });
  await worker.send('Profiler.start');
  phase = await runPhase(env, plan({ tag: 20, chats: CHATS, changes: N }), { durationMs: DURATION, capMs: 20_000 });
  ({ profile } = await worker.send('Profiler.stop'));
  await worker.detach();
} finally {
  await stack.browser.close();
  await Promise.all([stack.sim.close(), stack.receiver.close()]);
}

const { times } = selfTimes(profile);
const busy = [...times.entries()].filter(([k]) => k !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
const per = (us) => us / phase.delivered;
const top = [...times.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, TOP);
console.log(
  [
    `worker-profile — ${N} stanzas over ${CHATS} chats in ${DURATION} ms, deliveries running; load average before ${load0}, after ${loadavg()}`,
    `final-state latency p50 ${ms(percentile(phase.finalLatency, 50))}, p99 ${ms(percentile(phase.finalLatency, 99))}; delivered ${phase.delivered}, folded ${phase.folded ?? 'n/a'}, ${num(phase.rate, 0)} per s`,
    `worker thread busy ${ms(busy / 1000)} over the profile (${num(per(busy), 0)} µs per delivered webhook)`,
    '',
    `top ${TOP} functions by self time (µs per delivered webhook):`,
    table([['function', 'µs/delivered', 'ms'], ...top.map(([k, us]) => [k, num(per(us), 1), num(us / 1000, 0)])]),
  ].join('\n'),
);
