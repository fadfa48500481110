// DevTools-protocol figures for the benchmark: the WhatsApp tab's renderer
// main thread, the extension's service worker, and CPU profiles by script.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Main-thread counters of one page's renderer (`Performance.getMetrics`).
 * They count from `Performance.enable`; only differences are used.
 *   ThreadTime    CPU time of the renderer's main thread (thread ticks): what
 *                 the page really pays, unaffected by the thread being
 *                 descheduled on a busy machine. The primary figure.
 *   TaskDuration  wall time of the main thread's tasks: also counts time the
 *                 thread waited for a core while inside a task.
 *   ScriptDuration wall time inside V8 only (no IPC, no structured clone, no
 *                 style/layout, no task overhead).
 * Beside them, `kernel`: the same main thread's CPU time as Linux accounts it
 * (rendererMainThreads), a second reading of ThreadTime that owes nothing to
 * Chromium's own bookkeeping, and `preempted`: how often the kernel took the
 * core from that thread while it still had work (other processes wanted it).
 * @param {import('playwright-core').Page} page
 */
export async function pageMetrics(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const kernel = await rendererMainThreads(page.context().browser());
  const read = async () => {
    const [{ metrics }, threads] = await Promise.all([cdp.send('Performance.getMetrics'), kernel?.() ?? new Map()]);
    const get = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { wall: get('Timestamp'), thread: get('ThreadTime'), task: get('TaskDuration'), script: get('ScriptDuration'), heap: get('JSHeapUsedSize'), threads };
  };
  /** Seconds between two reads, per field (kernel: the renderers' main threads alive at both). */
  const diff = (a, b) => {
    let kernelSeconds = kernel ? 0 : NaN;
    let preempted = kernel ? 0 : NaN;
    for (const [pid, now] of b.threads) {
      const then = a.threads.get(pid);
      if (!then) continue;
      kernelSeconds += now.seconds - then.seconds;
      preempted += now.preempted - then.preempted;
    }
    return { wall: b.wall - a.wall, thread: b.thread - a.thread, task: b.task - a.task, script: b.script - a.script, kernel: kernelSeconds, preempted };
  };
  return {
    read,
    diff,
    /**
     * What the idle page costs per second of wall time (timers, the sim's own
     * housekeeping, the hook's watchers): subtracted from a phase's counters
     * in proportion to its length, so that per-stanza figures do not depend on
     * how long a phase took.
     */
    async idleRate(ms) {
      const a = await read();
      await new Promise((resolve) => setTimeout(resolve, ms));
      const d = diff(a, await read());
      return { thread: d.thread / d.wall, task: d.task / d.wall, script: d.script / d.wall, kernel: d.kernel / d.wall, preempted: d.preempted / d.wall };
    },
    cdp,
    detach: () => cdp.detach().catch(() => {}),
  };
}

/**
 * A DevTools session on the extension's service worker. Playwright opens CDP
 * sessions for pages and frames only, and a persistent context has no
 * browser-level session; but a page's session may attach to any target. The
 * non-flat attach is used because playwright's session object cannot address
 * a flat child session: commands travel wrapped in
 * `Target.sendMessageToTarget`, answers in `Target.receivedMessageFromTarget`.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} viaPage any page of the context (its session carries the messages)
 */
export async function workerSession(context, viaPage) {
  const cdp = await context.newCDPSession(viaPage);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!target) throw new Error('no extension service worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 0;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    const waiting = message.id !== undefined && pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  /** @param {string} method @param {object} [params] */
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject, method });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  return {
    send,
    /** JS heap in use after a full GC (bytes): what the worker really keeps. */
    async heapAfterGc() {
      await send('HeapProfiler.collectGarbage');
      const usage = await send('Runtime.getHeapUsage');
      return usage.usedSize;
    },
    /** Starts a sampling CPU profile; the returned stop() gives busy time by script. */
    async profile(intervalUs = 500) {
      return startProfile(send, intervalUs);
    },
    detach: () => cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {}).then(() => cdp.detach().catch(() => {})),
  };
}

/** A CPU profile on a page's renderer main thread (the content script shares it). @param {import('playwright-core').Page} page */
export async function pageProfiler(page, intervalUs = 100) {
  const cdp = await page.context().newCDPSession(page);
  const stop = await startProfile((method, params) => cdp.send(method, params), intervalUs);
  return async (/** @type {Parameters<typeof classifyProfile>[1]} */ classify) => {
    const result = await stop(classify);
    await cdp.detach().catch(() => {});
    return result;
  };
}

/**
 * @param {(method: string, params?: object) => Promise<any>} send
 * @returns {Promise<(classify?: (url: string) => string) => Promise<{busyMs: number, totalMs: number, byKind: Record<string, number>}>>}
 */
async function startProfile(send, intervalUs) {
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  await send('Profiler.start');
  return async (classify = () => 'script') => {
    const { profile } = await send('Profiler.stop');
    await send('Profiler.disable');
    return classifyProfile(profile, classify);
  };
}

/** A V8 CPU profile's nodes by id, and each node's parent id. */
function indexProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  return { byId, parent };
}

/**
 * Time per kind of code in a V8 CPU profile. A sample is charged to the
 * innermost frame on its stack that has a script URL: a native function
 * (postMessage, JSON.parse) is charged to the script that called it, and
 * WhatsApp code the tap calls (the original decodeStanza) stays WhatsApp's.
 * Samples without any script frame are '(program)' (native work outside JS:
 * IPC, message dispatch), '(garbage collector)' or '(idle)'.
 * @param {{nodes: {id: number, callFrame: {url: string, functionName: string}, children?: number[]}[], samples: number[], timeDeltas: number[], startTime: number, endTime: number}} profile
 * @param {(url: string) => string} classify
 */
export function classifyProfile(profile, classify) {
  const { byId, parent } = indexProfile(profile);
  /** @type {Map<number, string>} */
  const kindOf = new Map();
  const kind = (id) => {
    if (kindOf.has(id)) return kindOf.get(id);
    const node = byId.get(id);
    let result;
    if (node.callFrame.url) result = classify(node.callFrame.url);
    else if (parent.has(id) && byId.get(parent.get(id)).callFrame.functionName !== '(root)') result = kind(parent.get(id));
    else result = node.callFrame.functionName || '(program)';
    kindOf.set(id, result);
    return result;
  };
  /** @type {Record<string, number>} */
  const byKind = {};
  const { samples, timeDeltas } = profile;
  // timeDeltas[i] is the time since the previous sample: sample i stands for the time until the next one.
  for (let i = 0; i < samples.length; i++) {
    const us = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    const k = kind(samples[i]);
    byKind[k] = (byKind[k] ?? 0) + us / 1000;
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = Object.entries(byKind).reduce((sum, [k, v]) => (k === '(idle)' ? sum : sum + v), 0);
  return { busyMs, totalMs, byKind };
}

/**
 * Whether a process is the extension's renderer, by Chromium's
 * `--extension-process` flag in its command line (Linux /proc), remembered
 * per process id.
 */
function extensionProcessTest() {
  const known = new Map();
  return (/** @type {number} */ pid) => {
    if (!known.has(pid)) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {}
      // Renderers rewrite their process title: flags separated by spaces, not NULs.
      known.set(pid, /(^|[\s\0])--extension-process([\s\0]|$)/.test(cmdline));
    }
    return known.get(pid);
  };
}

/**
 * CPU time of the extension's renderer process (its service worker, and its
 * pages when open), from a browser-level session: `SystemInfo.getProcessInfo`
 * answers only there. Playwright 1.65 gives a persistent context a browser
 * object with `newBrowserCDPSession()`; without one, null (figures print n/a).
 * The process is told apart by Chromium's `--extension-process` flag in its
 * command line (Linux /proc). cpuTime has the kernel's 10 ms tick resolution,
 * fine over seconds of work. Unlike the Profiler's samples (wall time of the
 * worker thread), it is real CPU of every thread of the process (the worker,
 * its IPC and I/O threads), and costs nothing to measure.
 * @param {import('playwright-core').BrowserContext} context
 */
export async function extensionProcessCpu(context) {
  const session = await context.browser()?.newBrowserCDPSession().catch(() => null);
  if (!session) return null;
  const extensionProcess = extensionProcessTest();
  /**
   * Seconds of CPU used so far by the extension's renderer process(es), and
   * by the browser process with its network and storage services, which
   * carry the worker's fetches and chrome.storage calls (and the page's
   * WebSocket: shared, so only a hint of where a delivery's time goes).
   */
  return async () => {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const sum = (keep) => processInfo.filter(keep).reduce((total, p) => total + p.cpuTime, 0);
    return {
      extension: sum((p) => p.type === 'renderer' && extensionProcess(p.id)),
      browser: sum((p) => p.type === 'browser' || /NetworkService|StorageService/.test(p.type)),
    };
  };
}

/**
 * CPU time (and preemptions: `nonvoluntary_ctxt_switches` in .../status) of
 * the main thread of every renderer process that is not the extension's, as
 * the kernel accounts it (the scheduler's time on a CPU from
 * /proc/<pid>/task/<pid>/schedstat, in ns; utime + stime from .../stat, in
 * clock ticks, where schedstat is missing; the main thread's id is the
 * process id): in a bench browser that is the WhatsApp tab's renderer (and an
 * idle spare, if any). The processes come from a browser-level DevTools
 * session (`SystemInfo.getProcessInfo`); the extension's renderer is told
 * apart by its `--extension-process` flag. Null off Linux or without a
 * browser session.
 * @param {import('playwright-core').Browser | null} browser
 * @returns {Promise<null | (() => Promise<Map<number, {seconds: number, preempted: number}>>)>} CPU seconds and preemptions so far, by process id
 */
export async function rendererMainThreads(browser) {
  if (!existsSync('/proc/self/task')) return null;
  const session = await browser?.newBrowserCDPSession().catch(() => null);
  if (!session) return null;
  let hz = 100;
  try {
    hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {}
  const isExtension = extensionProcessTest();
  const mainThreadSeconds = (pid) => {
    try {
      // The scheduler's own sum of the thread's time on a CPU, in ns (exact).
      return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
    } catch {
      // Without schedstat: utime + stime in clock ticks (fields 14 and 15; state, the 3rd, comes first after the name's parenthesis).
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / hz;
    }
  };
  const preemptions = (pid) => Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return async () => {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const seconds = new Map();
    for (const p of processInfo) {
      if (p.type !== 'renderer' || isExtension(p.id)) continue;
      try {
        seconds.set(p.id, { seconds: mainThreadSeconds(p.id), preempted: preemptions(p.id) });
      } catch {
        // gone between the list and the read
      }
    }
    return seconds;
  };
}

const short = (url) => (url ? url.replace(/^.*\/(content-scripts\/)?/, '') : '');

/** Self time by function of a V8 CPU profile, natives named with their scripted caller. */
export function selfTimes(profile) {
  const { byId, parent } = indexProfile(profile);
  const scripted = (id) => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (frame.url) return frame;
    }
    return undefined;
  };
  const labelOf = new Map();
  const label = (id) => {
    if (labelOf.has(id)) return labelOf.get(id);
    const frame = byId.get(id).callFrame;
    let text;
    if (frame.url) text = `${frame.functionName || '(anonymous)'}  ${short(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    else {
      const caller = scripted(id);
      text = caller ? `${frame.functionName || '(native)'} ← ${short(caller.url)} ${caller.functionName || '(anonymous)'}` : frame.functionName || '(program)';
    }
    labelOf.set(id, text);
    return text;
  };
  const kindOf = (id) => {
    const frame = byId.get(id).callFrame;
    const url = frame.url || scripted(id)?.url || '';
    return url.endsWith('/content.js') ? 'content' : url.endsWith('/page-world.js') ? 'hook' : url.startsWith('https://web.whatsapp.com/') ? 'whatsapp' : url ? 'other' : frame.functionName || '(program)';
  };
  const times = new Map();
  const kinds = {};
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const key = label(id);
    times.set(key, (times.get(key) ?? 0) + us);
    const kind = kindOf(id);
    kinds[kind] = (kinds[kind] ?? 0) + us;
  });
  return { times, kinds };
}
