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
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROME_BUILD, CHROMIUM, QUIET_FLAGS, ROOT, backgroundCaller, configureWebhooks, testWebhook } from '../support/extension-browser.mjs';
import { startStack } from '../support/stack.mjs';
import { pageMetrics, pageProfiler, workerSession } from './cdp.mjs';
import { plan, runPagePhase, runPhase } from './driver.mjs';
import { clockStep, pageProbe } from './page-probe.mjs';
import { mean, ms, num, percentile, sleep, table, verdict } from './stats.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const C = {
  noBacklog: { chats: 100, rate: 100, seconds: QUICK ? 3 : 10 },
  burst: { chats: 500, changes: 5000, ms: 1500, capMs: QUICK ? 12_000 : 40_000 },
  floorPosts: QUICK ? 100 : 200,
  scale: {
    chats: [50, 500, 2000],
    rates: [10, 100, 1000],
    seconds: QUICK ? 1 : 10,
    capMs: QUICK ? 2_000 : 6_000,
  },
};
/** After the page handled the last frame, the content script still drains its batches: read page counters this much later (in both browsers). */
const SETTLE_MS = 1000;
const started = performance.now();
const progress = (text) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);

const classifyPage = (url) =>
  url.endsWith('/content-scripts/content.js') ? 'content' : url.endsWith('/content-scripts/page-world.js') ? 'hook' : url.startsWith('https://web.whatsapp.com/') ? 'whatsapp' : 'other';
const classifyWorker = (url) => (url.endsWith('/background.js') ? 'background' : 'other');

if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(CHROME_BUILD)) {
  progress('building the extension (test flavour, Chrome)');
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, env: { ...process.env, WXT_E2E: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

const burstPlan = plan({ tag: 20, chats: C.burst.chats, changes: C.burst.changes });
const cells = C.scale.chats.flatMap((chats, i) => C.scale.rates.map((rate, j) => ({ chats, rate, plan: plan({ tag: 30 + i * 3 + j, chats, changes: rate * C.scale.seconds }) })));
const R = {};

// ─── With the extension ────────────────────────────────────────────────
const stack = await startStack();
try {
  const { context, extensionId } = stack.browser;
  await context.addInitScript(pageProbe);
  const page = await stack.openWhatsApp();
  const call = backgroundCaller(context, extensionId);
  const health = () => call('getDeliveryHealth');
  await health(); // opens its helper page now, not in the middle of a measurement
  const worker = await workerSession(context, page);
  const metrics = await pageMetrics(page);
  const env = { sim: stack.sim, receiver: stack.receiver, page, health };
  R.clock = await clockStep(page);
  await sleep(500);

  /** A phase with page counters read at "handled + settle" and the worker profiled throughout. */
  const measuredPhase = async (p, options) => {
    const before = await metrics.read();
    let after;
    const stopWorker = await worker.profile(500);
    const result = await runPhase(env, p, { ...options, afterHandled: async () => { await sleep(SETTLE_MS); after = await metrics.read(); } });
    result.worker = await stopWorker(classifyWorker);
    result.heap = await worker.heapAfterGc();
    result.page = metrics.diff(before, after);
    return result;
  };

  progress(`no backlog: ${C.noBacklog.rate}/s over ${C.noBacklog.chats} chats for ${C.noBacklog.seconds} s`);
  const nb = C.noBacklog;
  R.noBacklog = await measuredPhase(plan({ tag: 10, chats: nb.chats, changes: nb.rate * nb.seconds }), { durationMs: nb.seconds * 1000, capMs: 5_000 });

  progress('the worker\'s own POST floor');
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

  progress(`burst: ${C.burst.changes} changes over ${C.burst.chats} chats in ${C.burst.ms} ms, deliveries running`);
  R.burst = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: C.burst.capMs });
  if (R.burst.capped) await call('clearAllState'); // what the cap left queued must not load the next phases

  // Deliveries paused: no webhook configured, so the background applies the
  // signals and queues nothing; the page side is what is left.
  await configureWebhooks(stack.browser.worker, []);
  await sleep(300);
  progress('same burst, deliveries paused (no webhook)');
  R.paused = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: 0 });
  progress('same burst, paused, under a CPU profile of the page (shares by script)');
  const stopPage = await pageProfiler(page, 100);
  const profiled = await measuredPhase(burstPlan, { durationMs: C.burst.ms, capMs: 0 });
  R.shares = { profile: await stopPage(classifyPage), stanzas: profiled.sent };
  await configureWebhooks(stack.browser.worker, [testWebhook(stack.receiver.url)]);
  await sleep(300);

  R.cells = [];
  for (const cell of cells) {
    progress(`scaling: ${cell.chats} chats × ${cell.rate}/s for ${C.scale.seconds} s`);
    await call('clearAllState'); // each cell starts from an empty table and outbox
    await sleep(200);
    const result = await measuredPhase(cell.plan, { durationMs: C.scale.seconds * 1000, capMs: C.scale.capMs });
    R.cells.push({ ...cell, ext: result });
  }
  await call('clearAllState');
  await worker.detach();
  await metrics.detach();
} finally {
  await stack.browser.close();
}

// ─── Without the extension: WhatsApp's own cost ──────────────────────────
progress('a second browser, same build, without the extension');
const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...QUIET_FLAGS, ...stack.sim.chromiumArgs] });
try {
  const plainContext = await plain.newContext();
  await plainContext.addInitScript(pageProbe);
  const page = await plainContext.newPage();
  await page.goto('https://web.whatsapp.com/');
  await stack.sim.waitForPage(15_000);
  await sleep(500);
  const metrics = await pageMetrics(page);
  const env = { sim: stack.sim, page };
  const pagePhase = async (p, options) => {
    const before = await metrics.read();
    let after;
    const result = await runPagePhase(env, p, { ...options, afterHandled: async () => { await sleep(SETTLE_MS); after = await metrics.read(); } });
    result.page = metrics.diff(before, after);
    return result;
  };
  progress('without: the burst');
  R.plainBurst = await pagePhase(burstPlan, { durationMs: C.burst.ms });
  R.plainBurst2 = await pagePhase(burstPlan, { durationMs: C.burst.ms });
  for (const cell of R.cells) {
    progress(`without: ${cell.chats} chats × ${cell.rate}/s`);
    cell.plain = await pagePhase(cell.plan, { durationMs: C.scale.seconds * 1000 });
  }
} finally {
  await plain.close();
  await Promise.all([stack.sim.close(), stack.receiver.close()]);
}

report(R);
progress('done');

// ─── The report ────────────────────────────────────────────────────────
function report(r) {
  const us = (seconds, n) => (seconds * 1e6) / n;
  const out = [];
  const section = (title) => out.push('', title);
  const rows = (list) => out.push(table([['figure', 'measured', 'target', ''], ...list]));

  out.push(`npm run bench${QUICK ? ' (BENCH_QUICK: shortened)' : ''} — Chromium ${chromiumVersion()}, ${new Date().toISOString()}`);
  out.push(`page clock: performance.now() steps by ${num(r.clock.stepUs, 0)} µs (crossOriginIsolated ${r.clock.isolated})`);

  // 1. Burst
  const b = r.burst;
  const bp50 = percentile(b.finalLatency, 50);
  const bp99 = b.finalsMissing ? Infinity : percentile(b.finalLatency, 99);
  section(`1. Burst: ${b.sent} changes over ${b.chats} chats, sent in ${ms(b.sentMs)} (the page handled them by ${ms(b.handledMs)})`);
  const folded = b.folded;
  const equation =
    folded === undefined
      ? `delivered ${b.delivered} + folded n/a vs sent ${b.sent}`
      : `delivered ${b.delivered} + folded ${folded} = ${b.delivered + folded} ${b.delivered + folded === b.sent ? '==' : '≠'} sent ${b.sent}`;
  rows([
    ['final-state latency p50', ms(bp50), '', ''],
    ['final-state latency p99', b.finalsMissing ? `> ${ms(C.burst.capMs)} (${b.finalsMissing} not in)` : ms(bp99), '≤ 2 s', verdict(bp99 <= 2000)],
    ['lost final states', `${b.finalsMissing}${b.capped ? ` (at the ${ms(C.burst.capMs)} cap; ${b.queuedAtEnd ?? '?'} still queued)` : ''}`, '0', verdict(b.finalsMissing === 0)],
    ['order violations (per chat)', String(b.orderViolations), '0', verdict(b.orderViolations === 0)],
    ['duplicates · unmatched webhooks', `${b.duplicates} · ${b.unmatched}`, '0 · 0', verdict(b.duplicates === 0 && b.unmatched === 0)],
    ['folded (delivery health)', folded === undefined ? 'n/a' : String(folded), 'counted', ''],
    ['every change accounted for', equation, 'equal', folded === undefined ? '' : verdict(b.delivered + folded === b.sent)],
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
    ['worker POST floor p50 · p99', `${ms(fp50)} · ${ms(percentile(r.floor, 99))}`, '(measured)', ''],
    ['latency p50 / floor p50', `${num(np50 / fp50, 1)}×`, '≤ 3×', verdict(np50 / fp50 <= 3)],
  ]);

  // 3. Page cost, two ways
  const N = b.sent;
  const without = { window: mean([...r.plainBurst.windowsUs, ...r.plainBurst2.windowsUs]), thread: (us(r.plainBurst.page.thread, N) + us(r.plainBurst2.page.thread, N)) / 2, task: (us(r.plainBurst.page.task, N) + us(r.plainBurst2.page.task, N)) / 2, script: (us(r.plainBurst.page.script, N) + us(r.plainBurst2.page.script, N)) / 2 };
  const cost = (phase) => ({
    window: mean(phase.windowsUs),
    thread: us(phase.page.thread, N),
    task: us(phase.page.task, N),
    script: us(phase.page.script, N),
  });
  const running = cost(b);
  const paused = cost(r.paused);
  section(`3. Page main-thread cost per stanza, above WhatsApp's own (same ${N}-stanza burst; "without" = a second browser, same build, no extension)`);
  const costRow = (label, key, target) => [
    label,
    `${num(running[key] - without[key], 1)} µs · ${num(paused[key] - without[key], 1)} µs`,
    target ? '≤ 20 µs' : '(diagnostic)',
    target ? verdict(Math.max(running[key], paused[key]) - without[key] <= 20) : '',
    `with ${num(running[key], 1)} · ${num(paused[key], 1)}, without ${num(without[key], 1)}`,
  ];
  out.push(
    table([
      ['way (deliveries running · paused)', 'extension cost', 'target', '', 'µs per stanza'],
      costRow('(a) in page: decode + dispatch', 'window', true),
      costRow('(b) CDP ThreadTime (main-thread CPU)', 'thread', true),
      costRow('    CDP TaskDuration (wall)', 'task', false),
      costRow('    CDP ScriptDuration (V8 wall)', 'script', false),
    ]),
  );

  // 4. Shares by script
  const sh = r.shares.profile.byKind;
  const per = (k) => ((sh[k] ?? 0) * 1000) / r.shares.stanzas;
  const contentUs = per('content');
  const hookUs = per('hook');
  const rest = Object.keys(sh).filter((k) => !['content', 'hook', 'whatsapp', '(idle)'].includes(k));
  section('4. Whose main-thread time (paused burst under a 100 µs sampling profile; sampling slows everything a little)');
  out.push(
    table([
      ['code', 'µs per stanza'],
      ['content script (content-scripts/content.js)', num(contentUs, 1)],
      ['page-world hook (content-scripts/page-world.js)', num(hookUs, 1)],
      ['WhatsApp (the sim\'s scripts)', num(per('whatsapp'), 1)],
      ...rest.map((k) => [k === 'other' ? 'other scripts' : `${k} (no script frame)`, num(per(k), 1)]),
    ]),
  );
  const gap = (paused.thread - without.thread) - (paused.window - without.window);
  out.push(
    `gap (b) − (a), paused: ${num(gap, 1)} µs/stanza; the content script alone is ${num(contentUs, 1)} µs: (a) spans only the frame's own task (WhatsApp's decode + the hook's ${num(hookUs, 1)} µs), the content script runs in tasks of its own, which (b) counts and (a) cannot see.`,
  );

  // 5. Background
  section('5. Background (service worker), over the burst (deliveries running) and after it');
  const bw = b.worker;
  rows([
    ['worker CPU per change', `${num((bw.busyMs * 1000) / b.sent, 0)} µs (${num(bw.busyMs, 0)} ms busy of ${num(bw.totalMs, 0)} ms)`, '', ''],
    ['worker CPU per delivered webhook', `${num((bw.busyMs * 1000) / Math.max(1, b.delivered), 0)} µs`, '', ''],
    ['worker JS heap after the burst (GC)', `${num(b.heap / 2 ** 20, 1)} MB`, '≤ 15 MB', verdict(b.heap <= 15 * 2 ** 20)],
  ]);

  // 6. Scaling
  section(`6. How cost grows: each cell ${C.scale.seconds} s of changes, alternating typing/paused per chat; latency = each chat's final change → its webhook (cap ${ms(C.scale.capMs)} after the last send)`);
  out.push(
    table([
      ['chats', 'changes/s', 'sent', 'final p50', 'final p99', 'lost', 'folded', 'delivered/s', 'worker CPU', 'µs/change', 'heap', 'page µs/stanza'],
      ...r.cells.map(({ chats, rate, ext, plain: p }) => [
        String(chats),
        String(rate),
        String(ext.sent),
        ms(percentile(ext.finalLatency, 50)),
        ext.finalsMissing ? `> ${ms(C.scale.capMs)}` : ms(percentile(ext.finalLatency, 99)),
        ext.finalsMissing ? `${ext.finalsMissing}${ext.capped ? '*' : ''}` : '0',
        num(ext.folded, 0),
        num(ext.rate, 0),
        `${num((ext.worker.busyMs / ext.worker.totalMs) * 100, 0)} %`,
        num((ext.worker.busyMs * 1000) / ext.sent, 0),
        `${num(ext.heap / 2 ** 20, 1)} MB`,
        num(us(ext.page.thread, ext.sent) - us(p.page.thread, p.sent), 1),
      ]),
    ]),
  );
  out.push('page µs/stanza: CDP ThreadTime with minus without, per stanza. lost*: not in when the cap ended the cell (late or lost; the outbox is cleared before the next cell).');
  console.log(out.join('\n'));
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^Chromium\s*/, '').split(' ')[0];
  } catch {
    return '?';
  }
}
