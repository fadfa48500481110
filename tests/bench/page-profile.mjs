// `node tests/bench/page-profile.mjs`: where the WhatsApp tab's main thread spends its time
// per stanza, function by function, for the bench's burst with deliveries
// paused (the page's side only). A developer's tool beside `npm run bench`:
// that one says how much; this one says where. Prints, asserts nothing.
//
// It profiles an unminified build of the test flavour (wxt.readable.config.ts,
// in .output-bench-page/, apart from the builds the tests use), so functions
// are named as in the sources. One browser with the extension (and, with
// BENCH_PAGE_WITHOUT=1, a second of the same Chromium without it, for
// WhatsApp's own cost): the burst is sent once
// to warm up, then `BENCH_PAGE_REPEATS` times (default 2) for CDP ThreadTime
// (lowest counts), then once more under a 100 µs sampling CPU profile. A
// sample is charged to its innermost frame (self time); a native frame
// (postMessage, structured clone, a regex) is named with the nearest script
// frame that called it, so "postMessage ← page-world.js" is the hook's post.
// BENCH_PAGE_STANZAS / BENCH_PAGE_CHATS / BENCH_PAGE_MS change the burst
// (default 5000 over 500 chats in 1500 ms, as the bench); BENCH_PAGE_BEFORE=1
// sends the bench's no-backlog phase first.
import { configureWebhooks, testWebhook } from '../support/extension-browser.mjs';
import { readableBuild, startWithExtension, startWithout } from './browsers.mjs';
import { pageMetrics, selfTimes } from './cdp.mjs';
import { plan, runPagePhase } from './driver.mjs';
import { loadavg, num, sleep, table } from './stats.mjs';

const N = Number(process.env.BENCH_PAGE_STANZAS ?? 5000);
const CHATS = Number(process.env.BENCH_PAGE_CHATS ?? 500);
const DURATION = Number(process.env.BENCH_PAGE_MS ?? 1500);
const REPEATS = Number(process.env.BENCH_PAGE_REPEATS ?? 2);
const WITHOUT = process.env.BENCH_PAGE_WITHOUT === '1';
/** BENCH_PAGE_BEFORE=1: each browser first takes the bench's no-backlog phase, as the bench's browser with the extension has before its page-cost bursts. */
const BEFORE = process.env.BENCH_PAGE_BEFORE === '1';
const TOP = 28;
const progress = (text) => process.stderr.write(`[page-profile] ${text}\n`);

const BUILD = readableBuild(progress);

const burst = plan({ tag: 20, chats: CHATS, changes: N });

async function measure(sim, page, label) {
  const metrics = await pageMetrics(page);
  const env = { sim, page };
  if (BEFORE) {
    progress(`${label}: first, the bench's no-backlog phase (100/s over 100 chats for 10 s)`);
    await runPagePhase(env, plan({ tag: 10, chats: 100, changes: 1000 }), { durationMs: 10_000 });
  }
  progress(`${label}: warm-up burst`);
  await runPagePhase(env, burst, { durationMs: DURATION });
  await sleep(1000);
  const idle = await metrics.idleRate(2000);
  const perStanza = [];
  const kernelPerStanza = [];
  const preempted = [];
  for (let i = 0; i < REPEATS; i++) {
    progress(`${label}: burst ${i + 1}/${REPEATS} (ThreadTime)`);
    const before = await metrics.read();
    let after;
    const phase = await runPagePhase(env, burst, { durationMs: DURATION, afterHandled: async () => (await sleep(1000), (after = await metrics.read())) });
    const d = metrics.diff(before, after);
    perStanza.push(((d.thread - idle.thread * d.wall) * 1e6) / phase.sent);
    kernelPerStanza.push(((d.kernel - idle.kernel * d.wall) * 1e6) / phase.sent);
    preempted.push((d.preempted * 1000) / phase.sent);
  }
  progress(`${label}: burst under a 100 µs CPU profile`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await runPagePhase(env, burst, { durationMs: DURATION, afterHandled: () => sleep(1000) });
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach().catch(() => {});
  await metrics.detach();
  return { thread: Math.min(...perStanza), all: perStanza, kernel: Math.min(...kernelPerStanza), kernelAll: kernelPerStanza, preempted, ...selfTimes(profile) };
}

/**
 * Both browsers at once, on one sim: every burst reaches both pages together
 * (the sim sends each frame to every page), so both are measured over the same
 * seconds of the same machine, and the load that varies from one second to the
 * next is the same for both. Pairs of readings, with minus without.
 */
async function measurePaired(sim, pages) {
  const metrics = await Promise.all(pages.map((page) => pageMetrics(page)));
  const env = { sim, page: pages[0] };
  if (BEFORE) {
    progress("both: first, the bench's no-backlog phase (100/s over 100 chats for 10 s)");
    await runPagePhase(env, plan({ tag: 10, chats: 100, changes: 1000 }), { durationMs: 10_000 });
  }
  progress('both: warm-up burst');
  await runPagePhase(env, burst, { durationMs: DURATION });
  await sleep(1000);
  const idle = await Promise.all(metrics.map((m) => m.idleRate(2000)));
  const pairs = [];
  for (let i = 0; i < REPEATS; i++) {
    progress(`both: burst ${i + 1}/${REPEATS}`);
    const before = await Promise.all(metrics.map((m) => m.read()));
    let after;
    const phase = await runPagePhase(env, burst, { durationMs: DURATION, afterHandled: async () => (await sleep(1000), (after = await Promise.all(metrics.map((m) => m.read())))) });
    const per = metrics.map((m, k) => {
      const d = m.diff(before[k], after[k]);
      return { thread: ((d.thread - idle[k].thread * d.wall) * 1e6) / phase.sent, kernel: ((d.kernel - idle[k].kernel * d.wall) * 1e6) / phase.sent, preempted: (d.preempted * 1000) / phase.sent };
    });
    pairs.push(per);
  }
  await Promise.all(metrics.map((m) => m.detach()));
  return pairs;
}

const load0 = loadavg();
const results = {};
if (process.env.BENCH_PAGE_PAIRED === '1') {
  const stack = await startWithExtension({ extensionDir: BUILD });
  const plain = await startWithout(stack.sim);
  let pairs;
  try {
    await configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url, { events: ['session.status'] })]);
    await sleep(500);
    pairs = await measurePaired(stack.sim, [stack.page, plain.page]);
  } finally {
    await Promise.all([stack.browser.close(), plain.browser.close()]);
    await Promise.all([stack.sim.close(), stack.receiver.close()]);
  }
  const rows = pairs.map(([w, wo], i) => [String(i + 1), num(w.thread, 1), num(wo.thread, 1), num(w.thread - wo.thread, 1), num(w.kernel - wo.kernel, 1), `${num(w.preempted, 0)} · ${num(wo.preempted, 0)}`]);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    [
      `page-profile, paired — ${N} stanzas over ${CHATS} chats in ${DURATION} ms to both pages at once, deliveries paused; load average before ${load0}, after ${loadavg()}`,
      table([['burst', 'with µs', 'without µs', 'extension (b)', "extension (b')", 'preempted /1000 with · without'], ...rows]),
      `median of the pairs: (b) ${num(median(pairs.map(([w, wo]) => w.thread - wo.thread)), 1)} µs, (b') ${num(median(pairs.map(([w, wo]) => w.kernel - wo.kernel)), 1)} µs per stanza`,
    ].join('\n'),
  );
  process.exit(0);
}
const stack = await startWithExtension({ extensionDir: BUILD });
try {
  await configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url, { events: ['session.status'] })]);
  await sleep(500);
  results.with = await measure(stack.sim, stack.page, 'with the extension');
} finally {
  await stack.browser.close();
}
if (WITHOUT) {
  const plain = await startWithout(stack.sim);
  try {
    await sleep(500);
    results.without = await measure(stack.sim, plain.page, 'without');
  } finally {
    await plain.browser.close();
  }
}
await Promise.all([stack.sim.close(), stack.receiver.close()]);
const load1 = loadavg();

const out = [`page-profile — ${N} stanzas over ${CHATS} chats in ${DURATION} ms, deliveries paused; load average before ${load0}, after ${load1}`];
const w = results.with;
const perStanza = (us) => us / N;
out.push(
  `ThreadTime per stanza, idle-corrected, lowest of ${REPEATS}: with ${num(w.thread, 1)} µs (${w.all.map((v) => num(v, 1)).join(', ')})` +
    (results.without ? `, without ${num(results.without.thread, 1)} µs (${results.without.all.map((v) => num(v, 1)).join(', ')}); extension ${num(w.thread - results.without.thread, 1)} µs` : ''),
);
out.push(
  `the kernel's CPU of the renderer's main thread, the same way: with ${num(w.kernel, 1)} µs (${w.kernelAll.map((v) => num(v, 1)).join(', ')})` +
    (results.without ? `, without ${num(results.without.kernel, 1)} µs (${results.without.kernelAll.map((v) => num(v, 1)).join(', ')}); extension ${num(w.kernel - results.without.kernel, 1)} µs` : ''),
);
out.push(
  `the main thread lost its core per 1000 stanzas: with ${w.preempted.map((v) => num(v, 0)).join(', ')}` + (results.without ? `, without ${results.without.preempted.map((v) => num(v, 0)).join(', ')}` : ''),
);
const kinds = [...new Set([...Object.keys(w.kinds), ...Object.keys(results.without?.kinds ?? {})])].filter((k) => k !== '(idle)');
kinds.sort((a, b) => (w.kinds[b] ?? 0) - (w.kinds[a] ?? 0));
out.push('', 'profile samples by code (µs per stanza, wall time of the main thread):');
out.push(table([['code', 'with', ...(results.without ? ['without', 'extension'] : [])], ...kinds.map((k) => [k, num(perStanza(w.kinds[k] ?? 0), 2), ...(results.without ? [num(perStanza(results.without.kinds[k] ?? 0), 2), num(perStanza((w.kinds[k] ?? 0) - (results.without.kinds[k] ?? 0)), 2)] : [])])]));
out.push('', `top ${TOP} functions by self time, with the extension (µs per stanza):`);
const top = [...w.times.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, TOP);
out.push(table([['function', 'µs/stanza', ...(results.without ? ['without'] : [])], ...top.map(([k, us]) => [k, num(perStanza(us), 2), ...(results.without ? [num(perStanza(results.without.times.get(k) ?? 0), 2)] : [])])]));
const ours = [...w.times.entries()].filter(([k]) => /page-world\.js|content\.js/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, TOP);
out.push('', "the extension's own functions and the natives they call (µs per stanza):");
out.push(table([['function', 'µs/stanza'], ...ours.map(([k, us]) => [k, num(perStanza(us), 2)])]));
console.log(out.join('\n'));
