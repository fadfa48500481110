// `npm run bench`: speed figures for the presence path, in real Chromium with
// the built extension, the simulated WhatsApp Web and the local receiver, in
// one run, each beside its target (issue 13). Prints figures; asserts nothing
// (shared, noisy machines). BENCH_QUICK=1: a short smoke run of the same.
//
// Phases, in order (one browser at a time):
//   with the extension   no backlog · worker POST floor · burst (deliveries
//                        running) · same burst, webhooks removed (paused) ·
//                        same burst paused under a CPU profile (shares by
//                        script) · the scaling cells
//   without it           the same bursts and cells in a second browser of
//                        the same build, without the extension: WhatsApp's own
//                        cost, to subtract.
// The load average is printed at the start and the end: on a shared machine
// every figure moves with it (the page-cost readings of each repeat are shown).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROME_BUILD, CHROMIUM, ROOT, backgroundCaller, configureWebhooks, testWebhook } from '../support/extension-browser.mjs';
import { startWithExtension, startWithout } from './browsers.mjs';
import { extensionProcessCpu, pageMetrics, pageProfiler, workerSession } from './cdp.mjs';
import { plan, runPagePhase, runPhase } from './driver.mjs';
import { clockStep } from './page-probe.mjs';
import { mean, ms, num, percentile, sleep, table, verdict } from './stats.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const C = {
  noBacklog: { chats: 100, rate: 100, seconds: QUICK ? 3 : 10 },
  burst: { chats: 500, changes: 5000, ms: 1500, capMs: QUICK ? 6_000 : 20_000 },
  floorPosts: QUICK ? 100 : 200,
  /** Page-cost bursts per browser (deliveries paused); the lowest reading counts (noise only ever adds). */
  costRepeats: QUICK ? 1 : 3,
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
const loadavg = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');
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
  const cells = C.scale.chats.flatMap((chats, i) =>
    C.scale.rates.map((rate, j) => ({
      chats,
      rate,
      plan: plan({ tag: 30 + i * 3 + j, chats, changes: rate * C.scale.seconds }),
      plainPlan: plan({ tag: 30 + i * 3 + j, chats, changes: (rate * C.scale.seconds) / 2 }),
    })),
  );
  const R = { paused: [], plain: [], load: { start: LOAD_AT_START } };

  /**
   * Page counters around a phase: read before it and SETTLE_MS after the page
   * handled its last frame, so the content script's trailing work is in.
   */
  async function withPageCounters(metrics, run) {
    const before = await metrics.read();
    let after;
    const result = await run(async () => {
      await sleep(SETTLE_MS);
      after = await metrics.read();
    });
    result.page = metrics.diff(before, after);
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
    const measuredPhase = async (p, options, { profileWorker = false } = {}) => {
      const stopWorker = profileWorker ? await worker.profile(500) : async () => undefined;
      const cpu0 = await processCpu?.();
      const wall0 = performance.now();
      const result = await withPageCounters(metrics, (afterHandled) => runPhase(env, p, { ...options, afterHandled }));
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
    R.noBacklog = await measuredPhase(plan({ tag: 10, chats: nb.chats, changes: nb.rate * nb.seconds }), { durationMs: nb.seconds * 1000, capMs: QUICK ? 2_000 : 5_000 });

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

    // Deliveries paused: the webhook wants no presence events, so the background
    // applies the signals and queues nothing; the page side is what is left.
    // (Not by removing the webhook: anything still queued would become dead letters.)
    await configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url, { events: ['session.status'] })]);
    await sleep(300);
    for (let i = 0; i < C.costRepeats; i++) {
      progress(`same burst, deliveries paused (the webhook wants no presence) ${i + 1}/${C.costRepeats}`);
      R.paused.push(await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: 0 }));
    }
    progress('same burst, paused, under a CPU profile of the page (shares by script)');
    const stopPage = await pageProfiler(page, 100);
    const profiled = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: 0 }, { profileWorker: true });
    R.shares = { profile: await stopPage(classifyPage), stanzas: profiled.sent };
    R.workerPaused = profiled.worker;
    await configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url)]);
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
  progress('a second browser, same build, without the extension');
  const plain = await startWithout(stack.sim);
  try {
    const { page } = plain;
    await sleep(500);
    const metrics = await pageMetrics(page);
    R.plainClock = await clockStep(page);
    // The clock an unisolated document of the same origin gets (a sim file, not routed, no page scripts).
    const unisolated = await page.context().newPage();
    await unisolated.goto('https://web.whatsapp.com/sim/config.json');
    R.unisolatedClock = await clockStep(unisolated);
    await unisolated.close();
    R.plainIdle = await metrics.idleRate(IDLE_MS);
    const env = { sim: stack.sim, page };
    const pagePhase = (p, options) => withPageCounters(metrics, (afterHandled) => runPagePhase(env, p, { ...options, afterHandled }));
    for (let i = 0; i < C.costRepeats; i++) {
      progress(`without: the burst ${i + 1}/${C.costRepeats}`);
      R.plain.push(await pagePhase(burstPlan, { durationMs: C.burst.ms }));
    }
    progress('without: the burst under a CPU profile');
    const stopPage = await pageProfiler(page, 100);
    const profiled = await pagePhase(burstPlan, { durationMs: C.burst.ms });
    R.plainShares = { profile: await stopPage(classifyPage), stanzas: profiled.sent };
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

  // 3. Page cost, two ways
  const N = b.sent;
  const lowest = (phases, f) => Math.min(...phases.map(f));
  const ways = {
    window: (phase) => mean(phase.windowsUs),
    windowMedian: (phase) => percentile(phase.windowsUs, 50),
    thread: (phase, idle) => perStanza(phase, idle, 'thread'),
    kernel: (phase, idle) => perStanza(phase, idle, 'kernel'),
    task: (phase, idle) => perStanza(phase, idle, 'task'),
    script: (phase, idle) => perStanza(phase, idle, 'script'),
  };
  const fig = Object.fromEntries(
    Object.entries(ways).map(([key, f]) => [
      key,
      { running: f(b, r.idle), paused: lowest(r.paused, (phase) => f(phase, r.idle)), without: lowest(r.plain, (phase) => f(phase, r.plainIdle)) },
    ]),
  );
  section(
    `3. Page main-thread cost per stanza above WhatsApp's own: the same ${N}-stanza burst; "without" = a second browser of the same build without the extension; lowest of ${C.costRepeats} where repeated (each reading in brackets)`,
  );
  const readings = (key) => (C.costRepeats > 1 ? ` [${r.paused.map((phase) => num(ways[key](phase, r.idle), 1)).join(', ')} vs ${r.plain.map((phase) => num(ways[key](phase, r.plainIdle), 1)).join(', ')}]` : '');
  const costRow = (label, key, target) => {
    const f = fig[key];
    const worst = Math.max(f.running, f.paused) - f.without;
    return [
      label,
      `${num(f.running - f.without, 1)} · ${num(f.paused - f.without, 1)}`,
      target ? '≤ 20 µs' : '(diagnostic)',
      target ? verdict(worst <= 20) : '',
      `${num(f.running, 1)} · ${num(f.paused, 1)} vs ${num(f.without, 1)}${key === 'thread' || key === 'kernel' || key === 'window' ? readings(key) : ''}`,
    ];
  };
  out.push(
    table([
      ['way', 'µs: running · paused', 'target', '', 'with (running · paused) vs without'],
      costRow("(a) in page: each frame's own task", 'window', false),
      costRow('    the same, median frame', 'windowMedian', false),
      costRow('(b) CDP ThreadTime: main-thread CPU', 'thread', true),
      costRow("(b') kernel: the same thread's CPU", 'kernel', true),
      costRow('    CDP TaskDuration: task wall time', 'task', false),
      costRow('    CDP ScriptDuration: V8 only', 'script', false),
    ]),
  );
  // Both are main-thread CPU over the same interval: one from Chromium's metrics, one from the scheduler.
  const agree = (x, y) => Math.abs(x - y) <= Math.max(2, 0.1 * Math.max(Math.abs(x), Math.abs(y)));
  const bk = { running: fig.thread.running - fig.thread.without, paused: fig.thread.paused - fig.thread.without };
  const kk = { running: fig.kernel.running - fig.kernel.without, paused: fig.kernel.paused - fig.kernel.without };
  out.push(
    `(b) and (b') ${agree(bk.running, kk.running) && agree(bk.paused, kk.paused) ? 'agree' : 'DISAGREE'} (${num(kk.running - bk.running, 1)} · ${num(kk.paused - bk.paused, 1)} µs apart, running · paused; agreeing means within 2 µs or 10 %): ` +
      "both count the tab's main thread's CPU over the same interval, every task on it (WhatsApp's, the hook's, the batches' ticks, the content script's), (b) as Chromium's Performance.getMetrics reports it, (b') as the kernel's scheduler accounts the renderer's main thread (/proc/<pid>/task/<pid>/schedstat). " +
      '(a) is a part of the same thing in wall time: the frame tasks only; below, why it differs.',
  );
  out.push(
    `idle page, per second: ThreadTime ${num(r.idle.thread * 1000, 1)} ms with, ${num(r.plainIdle.thread * 1000, 1)} ms without; kernel ${num(r.idle.kernel * 1000, 1)} ms with, ${num(r.plainIdle.kernel * 1000, 1)} ms without (subtracted from (b) and (b') in proportion to each phase's length)`,
  );

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
  section("4. Whose main-thread time: the paused burst under a 100 µs sampling CPU profile in both browsers; a sample counts for the innermost frame with a script URL (natives for their caller)");
  const order = ['content', 'hook', 'whatsapp', '(program)', '(garbage collector)', 'probe'];
  kinds.sort((x, y) => (order.indexOf(x) + 1 || 99) - (order.indexOf(y) + 1 || 99));
  const shown = kinds.filter((k) => order.includes(k) || Math.abs(w(k) - wo(k)) >= 0.5);
  const hidden = kinds.filter((k) => !shown.includes(k));
  const extra = (k) => w(k) - wo(k);
  // Samples are wall time (a busy machine stretches every code alike): scaled so each browser's
  // total equals its measured main-thread CPU per stanza ((b), paused), they estimate CPU by code.
  const sum = (f, ks) => ks.reduce((acc, k) => acc + f(k), 0);
  const scaleW = fig.thread.paused / sum(w, kinds);
  const scaleWo = fig.thread.without / sum(wo, kinds);
  const cpu = (k) => w(k) * scaleW - wo(k) * scaleWo;
  out.push(
    table([
      ['code (µs per stanza)', 'with', 'without', 'extension', 'extension ≈ CPU'],
      ...shown.map((k) => [label[k] ?? `${k} (no script frame on the stack)`, num(w(k), 1), num(wo(k), 1), num(extra(k), 1), num(cpu(k), 1)]),
      ...(hidden.length ? [['everything else', num(sum(w, hidden), 1), num(sum(wo, hidden), 1), num(sum(extra, hidden), 1), num(sum(cpu, hidden), 1)]] : []),
      ['total busy', num(sum(w, kinds), 1), num(sum(wo, kinds), 1), num(sum(extra, kinds), 1), num(sum(cpu, kinds), 1)],
    ]),
  );
  const a = fig.window.paused - fig.window.without;
  const bb = fig.thread.paused - fig.thread.without;
  out.push(
    `gap: (b) − (a) = ${num(bb - a, 1)} µs/stanza, paused. (a) spans each frame's own task only: WhatsApp's decode and dispatch with the tap inside (the hook's code ≈ ${num(cpu('hook'), 1)} µs CPU by the profile, most of it there; ` +
      `a batch is posted in its tick's task, or inside a frame when it is full or old); the content script (≈ ${num(cpu('content'), 1)} µs) and the messages' native work (≈ ${num(cpu('(program)'), 1)} µs) run in tasks of their own that only (b) and (b') count; and (a) is wall time: ` +
      `from paused to running it moves by ${num(fig.window.running - fig.window.paused, 1)} µs, TaskDuration by ${num(fig.task.running - fig.task.paused, 1)}, CPU (b) by ${num(fig.thread.running - fig.thread.paused, 1)}.`,
  );
  out.push(
    `ScriptDuration (the counter behind the old bench's 4–13 µs) moves by ${num(fig.script.paused - fig.script.without, 1)} µs here while main-thread CPU moves by ${num(bb, 1)} µs: it does not see most of the extension's work (the hook, the content script and the native messaging of the table above).`,
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
        `${num(perStanza(ext, r.idle, 'thread') - perStanza(p, r.plainIdle, 'thread'), 1)} · ${num(perStanza(ext, r.idle, 'kernel') - perStanza(p, r.plainIdle, 'kernel'), 1)}`,
      ]),
    ]),
  );
  out.push(
    'lost*: final changes not in when the cap ended the cell (late, not necessarily lost; the outbox is cleared before the next cell). delivered: webhooks matched to a change; per s: from the first send to the last arrival. ' +
      'worker CPU: the extension process\'s CPU over the cell (% of one core, idle subtracted), µs/change: that CPU per change sent, browser µs/ch: the same for the browser process and its network and storage services, heap: the worker\'s JS heap after a GC. ' +
      "page: main-thread CPU per stanza with minus without, by CDP ThreadTime (b) and by the kernel (b') (without: same chats and rate for half as long), idle-corrected: at 10/s a cell is 100 stanzas, and the idle page's own CPU over 10 s weighs more than they do.",
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
