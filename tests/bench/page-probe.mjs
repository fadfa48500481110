// An in-page probe on WhatsApp Web's own stanza path, installed the same way
// in the browser with the extension and in the one without (so whatever it
// costs cancels out in "with minus without").
//
// The sim's page (tests/sim/public/socket.js) handles each binary WebSocket
// frame in its `onmessage` handler: it chains decode (WAWap.decodeStanza, the
// extension's tap when installed) and dispatch as promise callbacks, which run
// in the microtask checkpoint right after the handler returns. The probe
// wraps that handler (start) and adds a second `message` listener registered
// after it (end): the browser runs the microtasks between two listeners, so
// end − start spans the whole decode + dispatch of that frame, the tap's own
// synchronous work included, and nothing of the tasks that follow it (the
// content script's port messages and runtime IPC run as tasks of their own).
//
// The clock is `performance.now()`, which Chromium coarsens to 100 µs (with
// jitter) on a page that is not cross-origin isolated (the simulated WhatsApp
// Web is not): one frame would read 0, 100 or 200 µs. The bench serves the
// page isolated (browsers.mjs) to get a 5 µs clock; `clockStep` reports the
// step seen, so the report says which clock it used.
// Per frame the probe also keeps Date.now() at start and end: the tap stamps
// each signal with Date.now() in between, which is how a webhook is matched to
// the exact change that caused it (tests/bench/driver.mjs).

/** Runs in the page's main world before any page script (context.addInitScript). */
export function pageProbe() {
  const KEY = Symbol.for('wa-bench-probe');
  if (globalThis[KEY]) return;
  const descriptor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  const perfNow = performance.now.bind(performance);
  const dateNow = Date.now;
  let capacity = 1 << 14;
  let d0 = new Float64Array(capacity);
  let d1 = new Float64Array(capacity);
  let dt = new Float64Array(capacity);
  const probe = { n: 0, started: -1, t0: 0, d0, d1, dt };
  const grow = () => {
    capacity *= 2;
    for (const name of ['d0', 'd1', 'dt']) {
      const next = new Float64Array(capacity);
      next.set(probe[name]);
      probe[name] = next;
    }
  };
  const end = (event) => {
    if (typeof event.data === 'string' || probe.started < 0) return; // sim control messages are not stanzas
    const i = probe.started;
    probe.dt[i] = perfNow() - probe.t0;
    probe.d1[i] = dateNow();
    probe.started = -1;
    probe.n = i + 1;
  };
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() {
      return descriptor.get.call(this);
    },
    set(handler) {
      const wrapped =
        typeof handler === 'function'
          ? function (event) {
              if (typeof event.data !== 'string') {
                if (probe.n >= capacity) grow();
                probe.started = probe.n;
                probe.d0[probe.n] = dateNow();
                probe.t0 = perfNow();
              }
              return handler.call(this, event);
            }
          : handler;
      descriptor.set.call(this, wrapped);
      // Registered after the handler attribute's listener, so it runs after it and after its microtasks.
      if (typeof handler === 'function') this.addEventListener('message', end);
    },
  });
  globalThis[KEY] = probe;
}

/** Frames handled so far by the page's probe. @param {import('playwright-core').Page} page */
export const probeCount = (page) => page.evaluate(() => globalThis[Symbol.for('wa-bench-probe')].n);

/**
 * The probe's records for frames [from, to).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{d0: number[], d1: number[], dt: number[]}>}
 */
export async function probeRecords(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const p = globalThis[Symbol.for('wa-bench-probe')];
      return { d0: Array.from(p.d0.subarray(a, b)), d1: Array.from(p.d1.subarray(a, b)), dt: Array.from(p.dt.subarray(a, b)) };
    },
    [from, to],
  );
}

/** The smallest step performance.now() takes in the page, and whether it is cross-origin isolated. */
export function clockStep(page) {
  return page.evaluate(() => {
    let step = Infinity;
    let last = performance.now();
    for (let seen = 0; seen < 50; ) {
      const t = performance.now();
      if (t !== last) {
        step = Math.min(step, t - last);
        last = t;
        seen++;
      }
    }
    return { stepUs: step * 1000, isolated: globalThis.crossOriginIsolated };
  });
}
