// `npm run bench`: speed figures for the presence path, in real Chromium with the
// built extension, the simulated WhatsApp Web and the local receiver. Prints
// figures against the targets; it asserts nothing (shared, noisy machines).
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { stanzas } from '../sim/server.mjs';
import { CHROMIUM, QUIET_FLAGS, ROOT, currentWorker } from '../support/extension-browser.mjs';
import { startStack } from '../support/stack.mjs';
import { percentile, sleep, summary } from './stats.mjs';

const LATENCY_SAMPLES = 300;
const BURST_CHATS = 500;
const BURST_CHANGES = 5000;
const CPU_STANZAS = 2000;

const isPresence = (r) => r.body?.event === 'presence.update';
const line = (label, text) => console.log(`${label.padEnd(34)} ${text}`);

console.log('Building the extension (test flavour)…');
execFileSync('npm', ['run', '--silent', 'build:test'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
const stack = await startStack();
try {
  const page = await stack.openWhatsApp();
  await sleep(500);
  await latency(stack);
  await floor(stack);
  await persistence(stack);
  await burst(stack);
  await pageCost(stack, page);
} finally {
  await stack.close();
}

/** One stanza at a time: page stanza → webhook received on loopback. */
async function latency({ sim, receiver }) {
  const endToEnd = [];
  const fromTap = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    receiver.clear();
    const chat = `1555400${String(i).padStart(4, '0')}@c.us`;
    const sent = performance.timeOrigin + performance.now();
    void sim.deliver(stanzas.chatstate(chat, 'composing'));
    const request = await receiver.waitFor(isPresence, 5_000);
    endToEnd.push(request.atHr - sent);
    fromTap.push(request.at - request.body.timestamp); // the page's tap time → arrival (ms clock)
  }
  line('stanza → webhook (sim send → recv)', summary(endToEnd));
  line('stanza → webhook (page tap → recv)', `${summary(fromTap)}  [target p50 ≤ 10, p99 ≤ 50]`);
  latency.p50 = percentile(endToEnd, 50);
}

/** The service worker's own loopback POST, the floor for the figures above. */
async function floor({ browser, receiver }) {
  const worker = await currentWorker(browser.context);
  const times = await worker.evaluate(async ({ url, n }) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"event":"floor"}' });
      await response.arrayBuffer();
      out.push(performance.now() - t);
    }
    return out;
  }, { url: receiver.url, n: 100 });
  const p50 = percentile(times, 50);
  line('service worker loopback POST', `${summary(times)}  [floor]`);
  line('latency p50 / floor p50', `${(latency.p50 / p50).toFixed(1)}×  [target ≤ 3×]`);
}

/** What batching saves: one storage round-trip per event versus one write per burst. */
async function persistence({ browser }) {
  const worker = await currentWorker(browser.context);
  const result = await worker.evaluate(async (n) => {
    const entry = (i) => ({ seq: `bench${i}`, body: 'x'.repeat(500), attempts: 0 });
    const area = globalThis.chrome.storage.local;
    let t = performance.now();
    for (let i = 0; i < n; i++) await area.set({ [`bench:${i}`]: entry(i) });
    const perEvent = performance.now() - t;
    await area.remove(Array.from({ length: n }, (_, i) => `bench:${i}`));
    t = performance.now();
    await area.set(Object.fromEntries(Array.from({ length: n }, (_, i) => [`bench:${i}`, entry(i)])));
    const batched = performance.now() - t;
    await area.remove(Array.from({ length: n }, (_, i) => `bench:${i}`));
    return { perEvent, batched };
  }, 1000);
  line('persist 1000 events, one set each', `${result.perEvent.toFixed(1)} ms (${(result.perEvent / 1000).toFixed(3)} ms/event)`);
  line('persist 1000 events, one batch', `${result.batched.toFixed(1)} ms (${(result.batched / 1000).toFixed(3)} ms/event)`);
}

/** 5,000 changes over 500 chats at once: complete, in order per chat, final state right. */
async function burst({ sim, receiver }) {
  receiver.clear();
  const chats = Array.from({ length: BURST_CHATS }, (_, i) => `1555500${String(i).padStart(4, '0')}@c.us`);
  const cycle = ['composing', 'paused', 'recording', 'paused', 'composing', 'paused', 'recording', 'paused', 'composing', 'paused'];
  const rounds = BURST_CHANGES / BURST_CHATS;
  const nodes = [];
  for (let round = 0; round < rounds; round++) for (const chat of chats) nodes.push(stanzas.chatstate(chat, cycle[round % cycle.length]));
  const started = performance.now();
  await sim.deliverBurst(nodes, { timeoutMs: 60_000 });
  const handled = performance.now() - started;
  const deadline = Date.now() + 60_000;
  // Only this burst's chats: typing from the earlier phases expires into "paused" meanwhile.
  const inBurst = new Set(chats);
  const burstUpdates = () => receiver.requests.filter((r) => isPresence(r) && inBurst.has(r.body.payload.id));
  while (burstUpdates().length < BURST_CHANGES && Date.now() < deadline) await sleep(20);
  await sleep(500); // anything extra (a duplicate) would arrive now
  const elapsed = performance.now() - started - 500;
  const received = burstUpdates();
  const byChat = new Map();
  for (const r of received) byChat.set(r.body.payload.id, [...(byChat.get(r.body.payload.id) ?? []), r.body.payload.presences[0].lastKnownPresence]);
  const expected = cycle.slice(0, rounds).map((s) => (s === 'composing' ? 'typing' : s));
  const inOrder = chats.filter((chat) => JSON.stringify(byChat.get(chat)) === JSON.stringify(expected)).length;
  const finalOk = chats.filter((chat) => byChat.get(chat)?.at(-1) === expected.at(-1)).length;
  line('burst: stanzas handled by the page', `${handled.toFixed(0)} ms for ${BURST_CHANGES}`);
  line('burst: all webhooks received', `${received.length}/${BURST_CHANGES} in ${elapsed.toFixed(0)} ms (${((received.length / elapsed) * 1000).toFixed(0)}/s)`);
  line('burst: chats complete and in order', `${inOrder}/${BURST_CHATS}; final state right ${finalOk}/${BURST_CHATS}`);
}

/** Main-thread script time per stanza in the WhatsApp tab, with and without the extension. */
async function pageCost({ sim, browser }, page) {
  const measure = async (target) => {
    const cdp = await target.context().newCDPSession(target);
    await cdp.send('Performance.enable');
    const metric = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ScriptDuration').value * 1e6; // µs
    };
    const nodes = Array.from({ length: CPU_STANZAS }, (_, i) => stanzas.chatstate(`1555600${String(i % 400).padStart(4, '0')}@c.us`, i % 2 ? 'paused' : 'composing'));
    const before = await metric();
    await sim.deliverBurst(nodes);
    await sleep(500); // let the content script drain the port
    const after = await metric();
    await cdp.detach();
    return (after - before) / CPU_STANZAS;
  };
  const withExtension = await measure(page);
  await page.close(); // only the plain page gets the next burst
  // The same page in a browser without the extension: WhatsApp's own cost.
  const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...QUIET_FLAGS, ...sim.chromiumArgs] });
  try {
    const plainPage = await plain.newPage();
    await plainPage.goto('https://web.whatsapp.com/');
    await sim.waitForPage(15_000);
    await sleep(500);
    const without = await measure(plainPage);
    line('page script time per stanza', `${withExtension.toFixed(1)} µs with the extension, ${without.toFixed(1)} µs without`);
    line('extension main-thread cost/stanza', `${(withExtension - without).toFixed(1)} µs  [target ≤ 20 µs; includes the content script]`);
  } finally {
    await plain.close();
  }
}
