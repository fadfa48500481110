// `npm run bench`: speed figures for the presence path, in real Chromium with
// the built extension, the simulated WhatsApp Web and the local receiver, in
// one run, each beside its target (issue 13). Prints figures; asserts nothing
// (shared, noisy machines). BENCH_QUICK=1: a short smoke run of the same.
//
// Phases, in order:
//   with the extension   no backlog · worker POST floor · burst (deliveries
//                        running: the latency figures)
//   page cost, paired    a second browser of the same build without the
//                        extension joins the same sim, takes the first one's
//                        history (the no-backlog phase, a burst), then every
//                        burst goes to both pages at once: deliveries running ·
//                        deliveries paused, repeated · paused under CPU
//                        profiles of both pages (shares by script) · a
//                        steady 10/s and 100/s, deliveries running
//   with the extension   the scaling cells (alone again)
//   without it           the cells' changes in a browser without the extension
//                        (alone): WhatsApp's own cost, to subtract.
// The load average is printed at the start and the end: on a shared machine
// every figure moves with it (the page-cost readings of each pair are shown).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROME_BUILD, CHROMIUM, ROOT, backgroundCaller, configureWebhooks, testWebhook } from '../support/extension-browser.mjs';
import { startWithExtension, startWithout } from './browsers.mjs';
import { extensionProcessCpu, pageMetrics, pageProfiler, workerSession } from './cdp.mjs';
import { plan, runPagePhase, runPhase } from './driver.mjs';
import { clockStep, probeCount, probeRecords } from './page-probe.mjs';
import { loadavg, mean, ms, num, percentile, sleep, table, verdict } from './stats.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const C = {
  noBacklog: { chats: 100, rate: 100, seconds: QUICK ? 3 : 10 },
  burst: { chats: 500, changes: 5000, ms: 1500, capMs: QUICK ? 6_000 : 20_000 },
  floorPosts: QUICK ? 100 : 200,
  /** Paired page cost at steady low rates (deliveries running). */
  lowRate: [10, 100].map((rate, i) => ({ rate, chats: 50, seconds: QUICK ? 2 : 10, plan: plan({ tag: 60 + i, chats: 50, changes: rate * (QUICK ? 2 : 10) }) })),
  /** Page-cost bursts per browser (deliveries paused); the lowest reading counts (noise only ever adds). */
  /** Paired page-cost bursts (deliveries paused); the median pair counts. */
  costRepeats: QUICK ? 2 : 7,
  scale: {
    chats: [50, 500, 2000],
    rates: [10, 100, 1000],
    seconds: QUICK ? 1 : 10,
    capMs: QUICK ? 1_000 : 4_000,
  },
};
/** After the page handled the last frame, the content script still drains its batches: read page counters this much later (in both browsers). */
const SETTLE_MS = QUICK ? 500 : 1000;
const IDLE_MS = QUICK ? 1000 : 3000;
const t0 = performance.now();
const LOAD_AT_START = loadavg();
const progress = (text) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);

const classifyPage = (url) =>
  url.endsWith('/content-scripts/content.js') ? 'content' : url.endsWith('/content-scripts/page-world.js') ? 'hook' : url.startsWith('https://web.whatsapp.com/') ? 'whatsapp' : 'other';
const classifyWorker = (url) => (url.endsWith('/background.js') ? 'background' : 'other');

const LAST_RUN = resolve(ROOT, 'tests/.tmp/bench-last.json');
if (process.env.BENCH_REPORT_FROM) {
  report(JSON.parse(readFileSync(process.env.BENCH_REPORT_FROM, 'utf8')));
} else {
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(CHROME_BUILD)) {
    progress('building the extension (test flavour, Chrome)');
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, env: { ...process.env, WXT_E2E: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const burstPlan = plan({ tag: 20, chats: C.burst.chats, changes: C.burst.changes });
  const noBacklogPlan = plan({ tag: 10, chats: C.noBacklog.chats, changes: C.noBacklog.rate * C.noBacklog.seconds });
  const cells = C.scale.chats.flatMap((chats, i) =>
    C.scale.rates.map((rate, j) => ({
      chats,
      rate,
      plan: plan({ tag: 30 + i * 3 + j, chats, changes: rate * C.scale.seconds }),
      plainPlan: plan({ tag: 30 + i * 3 + j, chats, changes: (rate * C.scale.seconds) / 2 }),
    })),
  );
  const R = { load: { start: LOAD_AT_START } };

  /**
   * Page counters around a phase: read before it and SETTLE_MS after the page
   * handled its last frame, so the content script's trailing work is in; the
   * twin page's (the one without the extension, fed the same frames) at the
   * same moments.
   */
  async function withPageCounters(metrics, run, twin) {
    const [before, twinBefore] = await Promise.all([metrics.read(), twin?.read()]);
    let after;
    let twinAfter;
    const result = await run(async () => {
      await sleep(SETTLE_MS);
      [after, twinAfter] = await Promise.all([metrics.read(), twin?.read()]);
    });
    result.page = metrics.diff(before, after);
    if (twin) result.twinPage = twin.diff(twinBefore, twinAfter);
    return result;
  }

  // ─── With the extension ────────────────────────────────────────────────
  const stack = await startWithExtension();
  try {
    const { context, extensionId } = stack.browser;
    const { page } = stack;
    const call = backgroundCaller(context, extensionId);
    const health = () => call('getDeliveryHealth');
    await health(); // opens its helper page now, not in the middle of a measurement
    const worker = await workerSession(context, page);
    const metrics = await pageMetrics(page);
    const processCpu = await extensionProcessCpu(context);
    const env = { sim: stack.sim, receiver: stack.receiver, page, health };
    R.clock = await clockStep(page);
    await sleep(500);
    const idleCpu0 = await processCpu?.();
    const idleWall0 = performance.now();
    R.idle = await metrics.idleRate(IDLE_MS);
    /** The extension process's CPU per ms of wall time while nothing happens (subtracted like the page's idle cost). */
    const idleCpu1 = await processCpu?.();
    const idleWall = performance.now() - idleWall0;
    R.processIdle = processCpu ? { extension: ((idleCpu1.extension - idleCpu0.extension) * 1000) / idleWall, browser: ((idleCpu1.browser - idleCpu0.browser) * 1000) / idleWall } : undefined;

    /**
     * A phase with page counters and the extension process's CPU, the worker's
     * heap read after a GC. The worker's sampling profiler only on request: its
     * sampling costs the extension process ~15 % of a core, which would count as
     * the worker's CPU.
     */
    const measuredPhase = async (p, options, { profileWorker = false, twin } = {}) => {
      const stopWorker = profileWorker ? await worker.profile(500) : async () => undefined;
      const cpu0 = await processCpu?.();
      const wall0 = performance.now();
      const result = await withPageCounters(metrics, (afterHandled) => runPhase(env, p, { ...options, afterHandled }), twin);
      const wallMs = performance.now() - wall0;
      const cpu1 = await processCpu?.();
      result.process = processCpu
        ? {
            cpuMs: (cpu1.extension - cpu0.extension) * 1000 - R.processIdle.extension * wallMs,
            browserMs: (cpu1.browser - cpu0.browser) * 1000 - R.processIdle.browser * wallMs,
            wallMs,
          }
        : undefined;
      result.worker = await stopWorker(classifyWorker);
      result.heap = await worker.heapAfterGc();
      return result;
    };

    progress(`no backlog: ${C.noBacklog.rate}/s over ${C.noBacklog.chats} chats for ${C.noBacklog.seconds} s`);
    const nb = C.noBacklog;
    R.noBacklog = await measuredPhase(noBacklogPlan, { durationMs: nb.seconds * 1000, capMs: QUICK ? 2_000 : 5_000 });

    progress("the worker's own POST floor");
    R.floor = await stack.browser.worker.evaluate(async ({ url, n }) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"event":"floor"}' });
        await response.arrayBuffer();
        out.push(performance.now() - t);
      }
      return out;
    }, { url: stack.receiver.url, n: C.floorPosts });

    /**
     * What a cap left queued must not load the next phase. The worker may still
     * be taking in the page's last batches when the cap ends a phase, so clear
     * until the outbox stays empty.
     */
    const emptyOutbox = async () => {
      for (let calm = 0, tries = 0; calm < 2 && tries < 40; tries++) {
        if ((await health()).queued > 0) {
          calm = 0;
          await call('clearAllState');
        } else calm++;
        await sleep(250);
      }
    };

    progress(`burst: ${C.burst.changes} changes over ${C.burst.chats} chats in ${C.burst.ms} ms, deliveries running`);
    R.burst = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: C.burst.capMs });
    await emptyOutbox();

    // ─── Page cost, paired ───
    // A second browser of the same build, without the extension, on the same sim: every frame
    // goes to both pages at once, so each reading of the page with the extension has a twin
    // reading of the page without it over the same seconds of the same machine. The load that
    // changes from one second to the next (this machine is shared) is then the same for both,
    // and the difference is taken pair by pair. (One browser after the other, the page without
    // the extension read anything from 145 to 187 µs per stanza for the same burst.)
    // Deliveries paused: the webhook wants no presence events, so the background applies the
    // signals and queues nothing; the page side is what is left. (Not by removing the webhook:
    // anything still queued would become dead letters.)
    const paused = () => configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url, { events: ['session.status'] })]);
    const running = () => configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url)]);
    await paused();
    progress('page cost: a second browser of the same build without the extension joins the same sim');
    const twin = await startWithout(stack.sim);
    try {
      const twinMetrics = await pageMetrics(twin.page);
      R.plainClock = await clockStep(twin.page);
      progress("page cost: the second page takes the first one's history (the no-backlog phase, one burst); both get it, deliveries paused");
      for (let i = 0; i < 150 && stack.sim.pageCount < 2; i++) await sleep(100); // its socket is open
      const twinEnv = { sim: stack.sim, page: twin.page };
      await runPagePhase(twinEnv, noBacklogPlan, { durationMs: nb.seconds * 1000 });
      await runPagePhase(twinEnv, burstPlan, { durationMs: C.burst.ms });
      await sleep(500);
      const [pairIdleWith, pairIdleWithout] = await Promise.all([metrics.idleRate(IDLE_MS), twinMetrics.idleRate(IDLE_MS)]);
      R.pairIdle = { with: pairIdleWith, without: pairIdleWithout };
      /** One burst to both pages: the readings of both, and the twin's probe windows. */
      const pairedPhase = async ({ profile = false } = {}) => {
        const frame0 = await probeCount(twin.page);
        const stops = profile ? await Promise.all([pageProfiler(page, 100), pageProfiler(twin.page, 100)]) : [];
        const result = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: 0 }, { profileWorker: profile, twin: twinMetrics });
        const records = await probeRecords(twin.page, frame0, frame0 + burstPlan.nodes.length);
        const without = { page: result.twinPage, sent: result.sent, windowsUs: records.dt.map((v) => v * 1000) };
        const profiles = profile ? await Promise.all([stops[0](classifyPage), stops[1](classifyPage)]) : undefined;
        return { with: result, without, profiles };
      };
      await running();
      await sleep(300);
      progress('page cost: the burst to both pages, deliveries running');
      R.runningPair = await pairedPhase();
      await emptyOutbox();
      await paused();
      await sleep(300);
      R.pairs = [];
      for (let i = 0; i < C.costRepeats; i++) {
        progress(`page cost: the burst to both pages, deliveries paused ${i + 1}/${C.costRepeats}`);
        R.pairs.push(await pairedPhase());
      }
      progress('page cost: the burst to both pages, paused, under CPU profiles of both (shares by script)');
      const profiled = await pairedPhase({ profile: true });
      R.shares = { profile: profiled.profiles[0], stanzas: profiled.with.sent, phase: { page: profiled.with.page, sent: profiled.with.sent } };
      R.plainShares = { profile: profiled.profiles[1], stanzas: profiled.without.sent, phase: profiled.without };
      R.workerPaused = profiled.with.worker;
      R.paused = R.pairs.map((pair) => pair.with);
      R.plain = R.pairs.map((pair) => pair.without);
      // A steady low rate, where a lone change is a message of its own all the way to the background.
      await running();
      await sleep(300);
      R.lowRatePairs = [];
      for (const lane of C.lowRate) {
        progress(`page cost: ${lane.rate}/s over ${lane.chats} chats for ${lane.seconds} s to both pages, deliveries running`);
        const result = await measuredPhase(lane.plan, { durationMs: lane.seconds * 1000, capMs: 2_000 }, { twin: twinMetrics });
        R.lowRatePairs.push({ rate: lane.rate, chats: lane.chats, with: result, without: { page: result.twinPage, sent: result.sent } });
        await emptyOutbox();
      }
      await twinMetrics.detach();
    } finally {
      await twin.browser.close();
    }
    await running();
    await sleep(300);

    R.cells = [];
    for (const cell of cells) {
      progress(`scaling: ${cell.chats} chats × ${cell.rate}/s for ${C.scale.seconds} s`);
      await call('clearAllState'); // each cell starts from an empty table and outbox
      await sleep(200);
      const result = await measuredPhase(cell.plan, { durationMs: C.scale.seconds * 1000, capMs: C.scale.capMs });
      R.cells.push({ ...cell, ext: result });
      await emptyOutbox();
    }
    await call('clearAllState');
    await worker.detach();
    await metrics.detach();
  } finally {
    await stack.browser.close();
  }

  // ─── Without the extension: WhatsApp's own cost ──────────────────────────
  progress('a browser of the same build without the extension, for the cells');
  const plain = await startWithout(stack.sim);
  try {
    const { page } = plain;
    await sleep(500);
    const metrics = await pageMetrics(page);
    // The clock an unisolated document of the same origin gets (a sim file, not routed, no page scripts).
    const unisolated = await page.context().newPage();
    await unisolated.goto('https://web.whatsapp.com/sim/config.json');
    R.unisolatedClock = await clockStep(unisolated);
    await unisolated.close();
    R.cellsPlainIdle = await metrics.idleRate(IDLE_MS);
    const env = { sim: stack.sim, page };
    const pagePhase = (p, options) => withPageCounters(metrics, (afterHandled) => runPagePhase(env, p, { ...options, afterHandled }));
    for (const cell of R.cells) {
      progress(`without: ${cell.chats} chats × ${cell.rate}/s`);
      // Same chats and rate for half as long: per stanza and idle-corrected, the length does not matter, and it saves a minute.
      cell.plain = await pagePhase(cell.plainPlan, { durationMs: (C.scale.seconds * 1000) / 2 });
    }
  } finally {
    await plain.browser.close();
    await Promise.all([stack.sim.close(), stack.receiver.close()]);
  }

  R.load.end = loadavg();
  // The figures, kept so that the report can be printed again from them (BENCH_REPORT_FROM=<file>) without a new run.
  mkdirSync(resolve(ROOT, 'tests/.tmp'), { recursive: true });
  writeFileSync(LAST_RUN, JSON.stringify(R, (key, value) => (key === 'plan' || key === 'plainPlan' ? undefined : value)));
  report(R);
  progress(`done (figures kept in ${LAST_RUN})`);
}

// ─── The report ────────────────────────────────────────────────────────
function report(r) {
  const out = [];
  const section = (title) => out.push('', title);
  const rows = (list) => out.push(table([['figure', 'measured', 'target', ''], ...list]));
  /** µs per stanza of one page counter over a phase, less what the idle page costs over that long. */
  const perStanza = (phase, idle, key) => ((phase.page[key] - idle[key] * phase.page.wall) * 1e6) / phase.sent;

  out.push(
    `npm run bench${QUICK ? ' (BENCH_QUICK: shortened)' : ''} — Chromium ${chromiumVersion()}, ${new Date().toISOString()}, load average ${r.load.start} at the start, ${r.load.end} at the end (1, 5, 15 min; ${cpuCount()} cores)${process.env.BENCH_NOTE ? `, ${process.env.BENCH_NOTE}` : ''}`,
  );
  out.push(
    `page clock: performance.now() steps by ${num(r.clock.stepUs, 0)} µs in the bench's isolated page (without the extension ${num(r.plainClock.stepUs, 0)} µs); ` +
      `unisolated, as WhatsApp's page is served by the sim, it steps by ${num(r.unisolatedClock.stepUs, 0)} µs (crossOriginIsolated ${r.unisolatedClock.isolated})`,
  );

  // 1. Burst
  const b = r.burst;
  const bp99 = b.finalsMissing ? Infinity : percentile(b.finalLatency, 99);
  section(`1. Burst: ${b.sent} changes over ${b.chats} chats, sent in ${ms(b.sentMs)} (the page had handled them ${ms(b.handledMs)} after the first); deliveries running`);
  const folded = b.folded;
  const equation =
    folded === undefined
      ? `delivered ${b.delivered} + folded n/a, sent ${b.sent}`
      : `delivered ${b.delivered} + folded ${folded} = ${b.delivered + folded} ${b.delivered + folded === b.sent ? '==' : '≠'} sent ${b.sent}`;
  rows([
    ['final-state latency p50', ms(percentile(b.finalLatency, 50)), '', ''],
    ['final-state latency p99', b.finalsMissing ? `> ${ms(C.burst.capMs)} (${b.finalsMissing} not in)` : ms(bp99), '≤ 2 s', verdict(bp99 <= 2000)],
    ['lost final states', `${b.finalsMissing}${b.capped ? ` (not in at the ${ms(C.burst.capMs)} cap; ${b.queuedAtEnd ?? '?'} still queued)` : ''}`, '0', verdict(b.finalsMissing === 0)],
    ['order violations (per chat)', String(b.orderViolations), '0', verdict(b.orderViolations === 0)],
    ['duplicates · unmatched webhooks', `${b.duplicates} · ${b.unmatched}`, '0 · 0', verdict(b.duplicates === 0 && b.unmatched === 0)],
    ['folded (delivery health)', folded === undefined ? 'n/a' : String(folded), 'counted', ''],
    [
      '  listed in the events (payload.folded)',
      `${b.foldedListed}; misplaced ${b.foldedOutOfOrder}, unknown ${b.foldedUnmatched}`,
      '= health; 0; 0',
      folded === undefined || b.capped ? '' : verdict(b.foldedListed === folded && b.foldedOutOfOrder === 0 && b.foldedUnmatched === 0),
    ],
    ['every change accounted for', equation, 'equal', folded === undefined || b.capped ? '' : verdict(b.delivered + folded === b.sent)],
    ['dropped (outbox limit)', num(b.dropped, 0), '0', verdict(b.dropped === 0)],
    ['deliveries per second', num(b.rate, 0), '', ''],
  ]);

  // 2. No backlog
  const n = r.noBacklog;
  const np50 = percentile(n.perChange, 50);
  const np99 = percentile(n.perChange, 99);
  const fp50 = percentile(r.floor, 50);
  section(`2. No backlog: ${n.sent} changes over ${n.chats} chats at ${C.noBacklog.rate}/s (sim send → webhook received)`);
  rows([
    ['changes delivered', `${n.delivered}/${n.sent}${n.folded ? ` (${n.folded} folded)` : ''}`, 'all', verdict(n.delivered === n.sent)],
    ['order violations · duplicates', `${n.orderViolations} · ${n.duplicates}`, '0 · 0', verdict(n.orderViolations === 0 && n.duplicates === 0)],
    ['stanza → webhook p50', ms(np50), '', ''],
    ['stanza → webhook p99', ms(np99), '≤ 50 ms', verdict(np99 <= 50)],
    ['worker POST floor p50 · p99', `${ms(fp50)} · ${ms(percentile(r.floor, 99))}`, '(same run)', ''],
    ['latency p50 / floor p50', `${num(np50 / fp50, 1)}×`, '≤ 3×', verdict(np50 / fp50 <= 3)],
  ]);

  // 3. Page cost: pairs of readings, the page with the extension and its twin without it
  const N = b.sent;
  const ways = {
    window: (phase) => mean(phase.windowsUs),
    windowMedian: (phase) => percentile(phase.windowsUs, 50),
    thread: (phase, idle) => perStanza(phase, idle, 'thread'),
    kernel: (phase, idle) => perStanza(phase, idle, 'kernel'),
    task: (phase, idle) => perStanza(phase, idle, 'task'),
    script: (phase, idle) => perStanza(phase, idle, 'script'),
  };
  const idleW = r.pairIdle.with;
  const idleWo = r.pairIdle.without;
  /** Per way: with − without of the running pair; the median over the paused pairs of with − without; the medians of each side. */
  const fig = Object.fromEntries(
    Object.entries(ways).map(([key, f]) => {
      const diffs = r.pairs.map((pair) => f(pair.with, idleW) - f(pair.without, idleWo));
      return [
        key,
        {
          running: f(r.runningPair.with, idleW) - f(r.runningPair.without, idleWo),
          runningWith: f(r.runningPair.with, idleW),
          runningWithout: f(r.runningPair.without, idleWo),
          paused: percentile(diffs, 50),
          diffs,
          with: percentile(r.pairs.map((pair) => f(pair.with, idleW)), 50),
          without: percentile(r.pairs.map((pair) => f(pair.without, idleWo)), 50),
        },
      ];
    }),
  );
  section(
    `3. Page main-thread cost per stanza above WhatsApp's own: the same ${N}-stanza burst sent to two pages at once, one in a browser with the extension, one in a second browser of the same build without it (the same seconds of the same machine for both); ` +
      `running: one pair; paused: the median of ${r.pairs.length} pairs (each pair's difference in brackets)`,
  );
  const costRow = (label, key, target) => {
    const f = fig[key];
    const worst = Math.max(f.running, f.paused);
    return [
      label,
      `${num(f.running, 1)} · ${num(f.paused, 1)}`,
      target ? '≤ 20 µs' : '(diagnostic)',
      target ? verdict(worst <= 20) : '',
      `${num(f.runningWith, 1)} vs ${num(f.runningWithout, 1)} · ${num(f.with, 1)} vs ${num(f.without, 1)}${key === 'thread' || key === 'kernel' || key === 'window' ? ` [${f.diffs.map((d) => num(d, 1)).join(', ')}]` : ''}`,
    ];
  };
  out.push(
    table([
      ['way', 'µs: running · paused', 'target', '', 'with vs without: running · paused (medians)'],
      costRow("(a) in page: each frame's own task", 'window', false),
      costRow('    the same, median frame', 'windowMedian', false),
      costRow('(b) CDP ThreadTime: main-thread CPU', 'thread', true),
      costRow("(b') kernel: the same thread's CPU", 'kernel', true),
      costRow('    CDP TaskDuration: task wall time', 'task', false),
      costRow('    CDP ScriptDuration: V8 only', 'script', false),
    ]),
  );
  const spread = [Math.min(...fig.thread.diffs), Math.max(...fig.thread.diffs)];
  const sorted = [...fig.thread.diffs].sort((x, y) => x - y);
  out.push(
    `(b) paused, pair by pair: from ${num(spread[0], 1)} to ${num(spread[1], 1)} µs, middle half ${num(percentile(sorted, 25), 1)} to ${num(percentile(sorted, 75), 1)}: the page's own cost moves from one burst to the next (GC, the JIT, the machine) by more than the extension costs, hence pairs, and the median.`,
  );
  // Both are main-thread CPU over the same intervals: one from Chromium's metrics, one from the
  // scheduler, held side by side reading by reading.
  const phases = [r.runningPair, ...r.pairs].flatMap((pair) => [
    [pair.with, idleW],
    [pair.without, idleWo],
  ]);
  const apart = phases.map(([phase, idle]) => ways.kernel(phase, idle) - ways.thread(phase, idle));
  const worstApart = Math.max(...apart.map(Math.abs));
  const agree = worstApart <= Math.max(2, 0.05 * Math.max(...phases.map(([phase, idle]) => ways.thread(phase, idle))));
  out.push(
    `(b) and (b') ${agree ? 'agree' : 'DISAGREE'}: reading by reading (with, without; running pair first), (b') − (b) = ${apart.map((d) => num(d, 1)).join(', ')} µs/stanza (agreeing: all within 2 µs or 5 %). ` +
      "Both count the tab's main thread's CPU over the same interval, every task on it (WhatsApp's, the hook's, the batches' ticks, the content script's): (b) as Chromium's Performance.getMetrics reports it, (b') as the kernel's scheduler accounts the renderer's main thread (/proc/<pid>/task/<pid>/schedstat). " +
      '(a) is a part of the same thing in wall time, the frame tasks only: below, why it differs.',
  );
  const preempt = (list) => percentile(list.map((phase) => (phase.page.preempted * 1000) / phase.sent), 50);
  out.push(
    `the main thread lost its core ${num(preempt(r.pairs.map((pair) => pair.with)), 0)} times per 1000 stanzas with the extension, ${num(preempt(r.pairs.map((pair) => pair.without)), 0)} without (medians, paused; the kernel's preemptions: other processes wanted the core). ` +
      "With fewer cores than busy processes, the extension's background (another process) slows WhatsApp's own code a little on either page; pairs share that, so it is not counted as the extension's; section 4 says how much of (b) is the extension's own code.",
  );
  out.push(
    `idle pages, per second: ThreadTime ${num(idleW.thread * 1000, 1)} ms with, ${num(idleWo.thread * 1000, 1)} ms without; kernel ${num(idleW.kernel * 1000, 1)} ms with, ${num(idleWo.kernel * 1000, 1)} ms without (subtracted from (b) and (b') in proportion to each phase's length)`,
  );
  if (r.lowRatePairs?.length) {
    out.push(
      '',
      "the same pairs at a steady low rate, deliveries running (a lone change goes alone: the hook's message, the content script's, the background's acknowledgement):",
      table([
        ['rate', 'stanzas', '(b) with · without µs', '(b) extension', "(b') extension", 'target', ''],
        ...r.lowRatePairs.map((pair) => {
          const b = ways.thread(pair.with, idleW) - ways.thread(pair.without, idleWo);
          const k = ways.kernel(pair.with, idleW) - ways.kernel(pair.without, idleWo);
          return [`${pair.chats} chats × ${pair.rate}/s`, String(pair.with.sent), `${num(ways.thread(pair.with, idleW), 1)} · ${num(ways.thread(pair.without, idleWo), 1)}`, num(b, 1), num(k, 1), '≤ 20 µs', verdict(b <= 20 && k <= 20)];
        }),
      ]),
    );
  }

  // 4. Shares by script, and the gap explained
  // The probe's two listeners have no script URL (an init script): one row for both.
  for (const s of [r.shares, r.plainShares]) {
    const by = s.profile.byKind;
    for (const k of ['wrapped', 'end']) if (k in by) (by.probe = (by.probe ?? 0) + by[k]), delete by[k];
  }
  const share = (s) => (k) => ((s.profile.byKind[k] ?? 0) * 1000) / s.stanzas;
  const w = share(r.shares);
  const wo = share(r.plainShares);
  const kinds = [...new Set([...Object.keys(r.shares.profile.byKind), ...Object.keys(r.plainShares.profile.byKind)])].filter((k) => k !== '(idle)');
  const label = { probe: "the bench's in-page probe (both browsers)", content: 'content script (content-scripts/content.js)', hook: 'page-world hook (content-scripts/page-world.js)', whatsapp: "WhatsApp (the sim's scripts)", other: 'other scripts' };
  section('4. Whose main-thread time: one more paused pair, both pages under a 100 µs sampling CPU profile; a sample counts for the innermost frame with a script URL (natives for their caller)');
  const order = ['content', 'hook', 'whatsapp', '(program)', '(garbage collector)', 'probe'];
  kinds.sort((x, y) => (order.indexOf(x) + 1 || 99) - (order.indexOf(y) + 1 || 99));
  const shown = kinds.filter((k) => order.includes(k) || Math.abs(w(k) - wo(k)) >= 0.5);
  const hidden = kinds.filter((k) => !shown.includes(k));
  const extra = (k) => w(k) - wo(k);
  // Samples are wall time (a busy machine stretches every code alike): scaled so each page's
  // total equals its main-thread CPU per stanza over that same burst ((b)), they estimate CPU by code.
  const sum = (f, ks) => ks.reduce((acc, k) => acc + f(k), 0);
  const profiledW = ways.thread(r.shares.phase, idleW);
  const profiledWo = ways.thread(r.plainShares.phase, idleWo);
  const scaleW = profiledW / sum(w, kinds);
  const scaleWo = profiledWo / sum(wo, kinds);
  const cpu = (k) => w(k) * scaleW - wo(k) * scaleWo;
  out.push(
    table([
      ['code (µs per stanza)', 'with', 'without', 'extension', 'extension ≈ CPU'],
      ...shown.map((k) => [label[k] ?? `${k} (no script frame on the stack)`, num(w(k), 1), num(wo(k), 1), num(extra(k), 1), num(cpu(k), 1)]),
      ...(hidden.length ? [['everything else', num(sum(w, hidden), 1), num(sum(wo, hidden), 1), num(sum(extra, hidden), 1), num(sum(cpu, hidden), 1)]] : []),
      ['total busy', num(sum(w, kinds), 1), num(sum(wo, kinds), 1), num(sum(extra, kinds), 1), num(sum(cpu, kinds), 1)],
    ]),
  );
  const a = fig.window.paused;
  const bb = fig.thread.paused;
  out.push(
    `gap: (b) − (a) = ${num(bb - a, 1)} µs/stanza, paused. (a) spans each frame's own task only: WhatsApp's decode and dispatch with the tap inside (the hook's code ≈ ${num(cpu('hook'), 1)} µs CPU by the profile, most of it there; ` +
      `a batch is posted in its tick's task, or inside a frame when it is full or old); the content script (≈ ${num(cpu('content'), 1)} µs) and the messages' native work (≈ ${num(cpu('(program)'), 1)} µs) run in tasks of their own that only (b) and (b') count; and (a) is wall time: ` +
      `from paused to running it moves by ${num(fig.window.running - fig.window.paused, 1)} µs, TaskDuration by ${num(fig.task.running - fig.task.paused, 1)}, CPU (b) by ${num(fig.thread.running - fig.thread.paused, 1)}.`,
  );
  out.push(
    `in this profiled pair (b) reads ${num(profiledW - profiledWo, 1)} µs: the extension's own code ≈ ${num(cpu('hook') + cpu('content'), 1)} µs (hook + content script, the natives they call included), native work without a script frame (its messages, their tasks) ≈ ${num(cpu('(program)'), 1)}, garbage collection ≈ ${num(cpu('(garbage collector)'), 1)}, ` +
      `WhatsApp's own scripts ≈ ${num(cpu('whatsapp'), 1)} (the same code doing the same work on both pages, so what is left there is noise or the extension's effect on caches; the model layer's listeners count as the hook's).`,
  );
  out.push(
    `ScriptDuration (the counter behind the old bench's 4–13 µs) moves by ${num(fig.script.paused, 1)} µs here while main-thread CPU moves by ${num(bb, 1)} µs: it does not see most of the extension's work (the hook, the content script and the native messaging of the table above).`,
  );

  // 5. Background
  section('5. Background (service worker), over the burst with deliveries running (from the first send to the last webhook or the cap), and after it');
  const bw = r.workerPaused;
  const bp = b.process;
  const pp = mean(r.paused.map((phase) => (phase.process ? (phase.process.cpuMs * 1000) / phase.sent : NaN)));
  rows([
    ['extension process CPU per change', bp ? `${num((bp.cpuMs * 1000) / b.sent, 0)} µs (${num(bp.cpuMs, 0)} ms CPU in ${ms(bp.wallMs)}, idle subtracted)` : 'n/a', '', ''],
    ['  per delivered webhook', bp && b.delivered ? `${num((bp.cpuMs * 1000) / b.delivered, 0)} µs` : 'n/a', '', ''],
    ['  the same burst, deliveries paused', `${num(pp, 0)} µs per change (signals applied, nothing queued)`, '', ''],
    ['browser process + network + storage', bp ? `${num((bp.browserMs * 1000) / b.sent, 0)} µs per change (they carry the worker's fetch and storage calls, and the page's socket)` : 'n/a', '', ''],
    ['worker thread, paused, sampled', `${num((bw.busyMs * 1000) / r.shares.stanzas, 0)} µs per change busy, ${num(((bw.byKind.background ?? 0) * 1000) / r.shares.stanzas, 0)} in background.js code (wall time)`, '', ''],
    ['worker JS heap after the burst (GC)', `${num(b.heap / 2 ** 20, 1)} MB`, '≤ 15 MB', verdict(b.heap <= 15 * 2 ** 20)],
  ]);

  // 6. Scaling
  section(
    `6. How cost grows: each cell ${C.scale.seconds} s of changes round-robin over its chats, typing/paused alternating, each chat ending paused; final = each chat's last change → its webhook (cap ${ms(C.scale.capMs)} after the last send)`,
  );
  out.push(
    table([
      ['chats', 'changes/s', 'sent', 'final p50', 'final p99', 'lost*', 'folded', 'delivered', 'per s', 'worker CPU', 'µs/change', 'browser µs/ch', 'heap', "page µs/stanza (b) · (b')"],
      ...r.cells.map(({ chats, rate, ext, plain: p }) => [
        String(chats),
        String(rate),
        String(ext.sent),
        ms(percentile(ext.finalLatency, 50)),
        ext.finalsMissing ? `> ${ms(C.scale.capMs)}` : ms(percentile(ext.finalLatency, 99)),
        String(ext.finalsMissing),
        num(ext.folded, 0),
        String(ext.delivered),
        num(ext.rate, 0),
        ext.process ? `${num((ext.process.cpuMs / ext.process.wallMs) * 100, 0)} %` : 'n/a',
        ext.process ? num((ext.process.cpuMs * 1000) / ext.sent, 0) : 'n/a',
        ext.process ? num((ext.process.browserMs * 1000) / ext.sent, 0) : 'n/a',
        `${num(ext.heap / 2 ** 20, 1)} MB`,
        `${num(perStanza(ext, r.idle, 'thread') - perStanza(p, r.cellsPlainIdle, 'thread'), 1)} · ${num(perStanza(ext, r.idle, 'kernel') - perStanza(p, r.cellsPlainIdle, 'kernel'), 1)}`,
      ]),
    ]),
  );
  out.push(
    'lost*: final changes not in when the cap ended the cell (late, not necessarily lost; the outbox is cleared before the next cell). delivered: webhooks matched to a change; per s: from the first send to the last arrival. ' +
      'worker CPU: the extension process\'s CPU over the cell (% of one core, idle subtracted), µs/change: that CPU per change sent, browser µs/ch: the same for the browser process and its network and storage services, heap: the worker\'s JS heap after a GC. ' +
      "page: main-thread CPU per stanza with minus without, by CDP ThreadTime (b) and by the kernel (b') (without: same chats and rate for half as long), idle-corrected: at 10/s a cell is 100 stanzas, and the idle page's own CPU over 10 s weighs more than they do. This column is measured one browser after the other, not in pairs, so it moves with the machine: section 3's low-rate pairs are the figures to trust.",
  );
  console.log(out.join('\n'));
}

function cpuCount() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? '?';
  } catch {
    return '?';
  }
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^Chromium\s*/, '').split(' ')[0];
  } catch {
    return '?';
  }
}
