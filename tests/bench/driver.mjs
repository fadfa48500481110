// The load driver: builds a schedule of chat-state changes, sends it to the
// simulated WhatsApp Web at a steady pace, and matches every webhook the
// receiver got to the exact change that caused it.
//
// Matching: the tap stamps each signal with the page's Date.now() while the
// page decodes that frame, and the webhook's `timestamp` is that stamp. The
// page probe (page-probe.mjs) keeps Date.now() at the start and end of every
// frame's handling, so a webhook for chat c with timestamp τ belongs to the
// one change k of chat c whose frame window [d0_k, d1_k] holds τ (two changes
// of one chat are hundreds of frames apart, so windows never overlap). This
// tells apart the five "paused" of one chat, which the state alone cannot:
// the final state is the final *change*, not just the same word again.
import { stanzas } from '../sim/server.mjs';
import { probeCount, probeRecords } from './page-probe.mjs';
import { sleep } from './stats.mjs';

/** Node's clock for send and arrival times: the receiver stamps `atHr` with the same one. */
export const hrNow = () => performance.timeOrigin + performance.now();

/**
 * Changes round-robin over `chats` chats (`155<tag><5 digits>@c.us`), each
 * chat alternating typing and paused and always ending on paused: a final
 * "typing" would lapse into a synthetic "paused" 15 s later and load the
 * next phase.
 * @param {{tag: number, chats: number, changes: number}} spec
 */
export function plan({ tag, chats, changes }) {
  const ids = Array.from({ length: Math.min(chats, changes) }, (_, i) => `155${String(tag).padStart(2, '0')}${String(i).padStart(5, '0')}@c.us`);
  const perChat = ids.map((_, i) => Math.floor(changes / ids.length) + (i < changes % ids.length ? 1 : 0));
  /** @type {{chat: string, state: 'composing' | 'paused'}[]} */
  const list = [];
  for (let round = 0; list.length < changes; round++) {
    ids.forEach((chat, i) => {
      if (round < perChat[i]) list.push({ chat, state: (perChat[i] - 1 - round) % 2 === 0 ? 'paused' : 'composing' });
    });
  }
  /** The index of each chat's last change. */
  const finalOf = new Map();
  list.forEach((change, k) => finalOf.set(change.chat, k));
  return { chats: ids, changes: list, finalOf, nodes: list.map((c) => stanzas.chatstate(c.chat, c.state)) };
}

/**
 * Sends the plan's stanzas spread evenly over `durationMs` (0: all at once),
 * in 10 ms slices, and resolves once the page has handled every one.
 * @param {import('../sim/server.mjs').WhatsAppSim} sim
 * @param {ReturnType<typeof plan>} p
 */
export async function sendPaced(sim, p, durationMs) {
  const n = p.nodes.length;
  const sentAt = new Float64Array(n);
  const handled = [];
  const start = hrNow();
  let next = 0;
  while (next < n) {
    const now = hrNow();
    const due = durationMs > 0 ? Math.min(n, Math.floor(((now - start) / durationMs) * n) + 1) : n;
    if (due > next) {
      sentAt.fill(now, next, due);
      handled.push(sim.deliverBurst(p.nodes.slice(next, due), { timeoutMs: 180_000 }));
      next = due;
    }
    if (next < n) await sleep(10);
  }
  const sentMs = hrNow() - start;
  await Promise.all(handled);
  return { sentAt, sentMs, handledMs: hrNow() - start, start };
}

const STATE_OF = { composing: 'typing', paused: 'paused' };

/**
 * Runs one phase with the extension: sends the plan, follows the webhooks
 * until every chat's final change arrived (then 300 ms more, for anything
 * extra) or `capMs` after the last send, and reports per change and per chat.
 * @param {{sim: any, receiver: any, page: import('playwright-core').Page, health?: () => Promise<any>}} stack
 * @param {ReturnType<typeof plan>} p
 * @param {{durationMs: number, capMs: number, afterHandled?: () => Promise<void>}} options
 *   afterHandled: runs once the page handled the last frame (page figures are read there)
 */
export async function runPhase({ sim, receiver, page, health }, p, { durationMs, capMs, afterHandled }) {
  receiver.clear();
  const healthBefore = health ? await health() : undefined;
  const frame0 = await probeCount(page);
  const sent = await sendPaced(sim, p, durationMs);
  await afterHandled?.();
  const records = await probeRecords(page, frame0, frame0 + p.nodes.length);

  // Per chat: its change indices, to look a webhook's timestamp up in.
  const changesOf = new Map(p.chats.map((chat) => [chat, []]));
  p.changes.forEach((change, k) => changesOf.get(change.chat).push(k));
  const lastSeen = new Map();
  const arrivedAt = new Float64Array(p.nodes.length).fill(NaN);
  let cursor = 0;
  let unmatched = 0;
  let duplicates = 0;
  let orderViolations = 0;
  let finalsIn = 0;
  let lastArrival = NaN;
  /** Σ payload.folded.count over the received events, and their listed changes that are not where they should be. */
  let foldedListed = 0;
  let foldedUnmatched = 0;
  let foldedOutOfOrder = 0;
  const consume = () => {
    for (; cursor < receiver.requests.length; cursor++) {
      const request = receiver.requests[cursor];
      if (request.body?.event !== 'presence.update') continue;
      const chat = request.body.payload?.id;
      const ks = changesOf.get(chat);
      if (!ks) continue; // an earlier phase's late event
      const at = request.body.timestamp;
      const state = request.body.payload.presences?.[0]?.lastKnownPresence;
      const changeAt = (t, s) => ks.find((i) => records.d0[i] <= t && t <= records.d1[i] && STATE_OF[p.changes[i].state] === s);
      const k = changeAt(at, state);
      if (k === undefined) {
        unmatched++;
        continue;
      }
      lastArrival = request.atHr;
      const previous = lastSeen.get(chat) ?? -1;
      if (k === previous || !Number.isNaN(arrivedAt[k])) duplicates++;
      else if (k < previous) orderViolations++;
      // A folded event lists the changes it replaced (oldest first): each must
      // be one of this chat's changes, after the last one received and before
      // the event's own, or receive order does not follow change time.
      const folded = request.body.payload.folded;
      if (folded) {
        foldedListed += folded.count;
        let after = previous;
        for (const change of folded.changes ?? []) {
          const j = changeAt(change.at, change.lastKnownPresence);
          if (j === undefined) foldedUnmatched++;
          else if (j <= after || j >= k) foldedOutOfOrder++;
          else after = j;
        }
      }
      if (Number.isNaN(arrivedAt[k])) {
        arrivedAt[k] = request.atHr;
        if (p.finalOf.get(chat) === k) finalsIn++;
      }
      lastSeen.set(chat, Math.max(previous, k));
    }
  };
  const deadline = sent.start + sent.sentMs + capMs;
  while (hrNow() < deadline) {
    consume();
    if (finalsIn === p.chats.length) break;
    await sleep(50);
  }
  let capped = finalsIn < p.chats.length;
  if (!capped) {
    await sleep(300);
    consume();
  }
  const healthAfter = health ? await health() : undefined;

  const delivered = arrivedAt.filter((t) => !Number.isNaN(t)).length;
  const perChange = [];
  arrivedAt.forEach((t, k) => Number.isNaN(t) || perChange.push(t - sent.sentAt[k]));
  const finalLatency = [];
  let finalsMissing = 0;
  for (const [, k] of p.finalOf) {
    if (Number.isNaN(arrivedAt[k])) finalsMissing++;
    else finalLatency.push(arrivedAt[k] - sent.sentAt[k]);
  }
  const counter = (name) =>
    healthAfter && typeof healthAfter[name] === 'number' ? healthAfter[name] - (healthBefore?.[name] ?? 0) : undefined;
  return {
    sent: p.nodes.length,
    chats: p.chats.length,
    sentMs: sent.sentMs,
    handledMs: sent.handledMs,
    delivered,
    unmatched,
    duplicates,
    orderViolations,
    finalsMissing,
    capped,
    queuedAtEnd: healthAfter?.queued,
    folded: counter('folded'),
    foldedListed,
    foldedUnmatched,
    foldedOutOfOrder,
    dropped: counter('dropped'),
    perChange,
    finalLatency,
    /** Deliveries per second, from the first send to the last matched arrival. */
    rate: delivered / (((Number.isNaN(lastArrival) ? hrNow() : lastArrival) - sent.start) / 1000),
    /** Probe windows (µs, coarse clock) of this phase's frames. */
    windowsUs: records.dt.map((v) => v * 1000),
  };
}

/**
 * The same plan against a page without the extension: only the page's side
 * (the probe's windows) matters there.
 * @param {{sim: any, page: import('playwright-core').Page}} stack
 * @param {ReturnType<typeof plan>} p
 */
export async function runPagePhase({ sim, page }, p, { durationMs, afterHandled }) {
  const frame0 = await probeCount(page);
  const sent = await sendPaced(sim, p, durationMs);
  await afterHandled?.();
  const records = await probeRecords(page, frame0, frame0 + p.nodes.length);
  return { sent: p.nodes.length, sentMs: sent.sentMs, handledMs: sent.handledMs, windowsUs: records.dt.map((v) => v * 1000) };
}
