import { monotonicUlid } from '../ids/ulid';
import { createDispatcher } from '../outbox/dispatcher';
import { createOutboxStore } from '../outbox/outbox-store';
import type { FoldInfo } from '../outbox/folding';
import type { DeadLetter, OutboxEntry } from '../outbox/types';
import type { MeInfo } from '../presence/types';
import { deadLettersStorage, deliveryStatsStorage, type DeliveryStats } from '../storage';
import { checkWebhookUrl, permissionPattern, wantsEvent, type WebhookConfig, type WebhookEvent } from '../webhook/config';
import { buildEnvelope, newEventId, type WebhookEnvironment } from '../webhook/envelope';
import { postWebhook, type PostResult } from '../webhook/post';
import { toFlatPresence, toWahaPresence } from '../webhook/waha-payload';
import type { SettingsCache } from './settings-cache';
import { createSerialQueue } from './serial';
import { createWakeUp, runSoon } from './timers';

const LOG_PREFIX = '[wa-presence]';
const OUTBOX_ALARM = 'outbox-retry';
/** Dead letters kept; older ones go first. */
const DEAD_LETTER_LIMIT = 200;
/**
 * A dead letter older than this is forgotten (counted with the drops): it
 * holds contacts' presence, which is worth nothing a week later, and the
 * privacy policy promises nothing is kept longer than needed.
 */
export const DEAD_LETTER_MAX_AGE_MS = 7 * 24 * 3600_000;
/** Stats are written at most this often (they are for the popup, not the hot path). */
const STATS_WRITE_DELAY_MS = 1000;

export interface OutgoingEvent {
  event: WebhookEvent;
  /** When it happened, Unix ms. */
  timestamp: number;
  /** Per-chat order is kept within a lane: the chat id, or `session`. */
  lane: string;
  /** The payload in the format a webhook asked for. */
  payloadFor(format: WebhookConfig['format']): unknown;
  /** presence.update: whose change it is, so that under backlog a newer one may replace it (utils/outbox/folding.ts). */
  fold?: FoldInfo;
}

/**
 * Turns events into persisted outbox entries, one per subscribed webhook, and
 * delivers them; keeps dead letters and delivery stats for the popup.
 */
export function createDeliveryService(settings: SettingsCache, environment: WebhookEnvironment, currentMe: () => MeInfo | null = () => null) {
  /**
   * Webhook origins are optional host permissions granted one by one. Without
   * one, the POST would die as a CORS preflight; say what to do instead.
   * (A 403-like status: retrying will not help until the operator grants it.)
   */
  /**
   * Grants by pattern, asked once and forgotten whenever a permission is added
   * or removed: a browser round-trip per POST would cost more than the POST
   * on loopback. A pattern the browser cannot read is not a grant.
   */
  const grants = new Map<string, Promise<boolean>>();
  const forgetGrants = () => grants.clear();
  browser.permissions?.onAdded?.addListener(forgetGrants);
  browser.permissions?.onRemoved?.addListener(forgetGrants);
  function isGranted(pattern: string): Promise<boolean> {
    let granted = grants.get(pattern);
    if (!granted) {
      granted = browser.permissions.contains({ origins: [pattern] }).catch(() => false);
      grants.set(pattern, granted);
    }
    return granted;
  }

  async function postWithPermission(webhook: WebhookConfig, body: string): Promise<PostResult> {
    const url = new URL(webhook.url);
    const origin = url.origin;
    const granted = await isGranted(permissionPattern(url));
    if (!granted) {
      return { ok: false, status: 403, ms: 0, error: `no permission to reach ${origin}: allow it in the extension's options` };
    }
    return postWebhook(webhook, body);
  }

  const store = createOutboxStore(browser.storage.local);
  const nextSeq = monotonicUlid();
  let stats: DeliveryStats = { dropped: 0, last: null };
  const saveStatsSoon = runSoon(() => void deliveryStatsStorage.setValue(stats), STATS_WRITE_DELAY_MS);
  // The alarm behind it survives the worker being stopped during a long outage.
  const wakeUp = createWakeUp(OUTBOX_ALARM, () => void ready.then(() => dispatcher.pump()));

  const dispatcher = createDispatcher({
    store,
    webhook: settings.webhook,
    post: postWithPermission,
    now: Date.now,
    limit: () => settings.get().behaviour.outboxLimit,
    wakeAt: wakeUp.at,
    onDropped(entries) {
      stats.dropped += entries.length;
      console.warn(LOG_PREFIX, `outbox full: dropped the ${entries.length} oldest event(s)`);
      saveStatsSoon();
    },
    onDead(entry, reason) {
      console.warn(LOG_PREFIX, `${entry.event} ${entry.eventId} not delivered: ${reason}`);
      void addDeadLetter({ ...entry, reason, failedAt: Date.now() });
    },
    onFolded() {
      stats.folded = (stats.folded ?? 0) + 1;
      saveStatsSoon();
    },
    onAttempt(entry, result) {
      stats.last = { at: Date.now(), ok: result.ok, status: result.status, webhookId: entry.webhookId, ...(result.error ? { error: result.error } : {}) };
      saveStatsSoon();
    },
  });

  const deadLetterWrites = createSerialQueue('dead letters');
  /** Keeps the newest within the cap and the age limit; what goes is counted and said, never silent. */
  function prunedLetters(letters: DeadLetter[]): DeadLetter[] {
    const fresh = letters.filter((letter) => letter.failedAt >= Date.now() - DEAD_LETTER_MAX_AGE_MS);
    const kept = fresh.slice(-DEAD_LETTER_LIMIT);
    const gone = letters.length - kept.length;
    if (gone > 0) {
      stats.dropped += gone;
      saveStatsSoon();
      console.warn(LOG_PREFIX, `dead letters: dropped ${gone} (older than 7 days, or beyond ${DEAD_LETTER_LIMIT})`);
    }
    return kept;
  }
  function addDeadLetter(letter: DeadLetter) {
    return deadLetterWrites(async () => {
      await deadLettersStorage.setValue(prunedLetters([...(await deadLettersStorage.getValue()), letter]));
    });
  }

  const ready = Promise.all([settings.ready, store.load(), deliveryStatsStorage.getValue()]).then(([, entries, saved]) => {
    stats = { ...saved }; // a copy: the stored item's fallback object must not be changed in place
    dispatcher.restore(entries);
    // Old dead letters go at start-up too, not only when a new one comes.
    void deadLetterWrites(async () => {
      const letters = await deadLettersStorage.getValue();
      const kept = prunedLetters(letters);
      if (kept.length !== letters.length) await deadLettersStorage.setValue(kept);
    });
  });

  return {
    ready,
    /** Queues the event for every webhook that wants it (written to storage while its first attempt goes); resolves once written. */
    async send(item: OutgoingEvent): Promise<void> {
      await ready;
      const { webhooks, session } = settings.get();
      const me = currentMe();
      const eventId = newEventId(item.timestamp);
      const context = { session: session.name, metadata: session.metadata, me, environment };
      const now = Date.now();
      const entries: OutboxEntry[] = webhooks
        .filter((webhook) => wantsEvent(webhook, item.event) && checkWebhookUrl(webhook.url).ok)
        .map((webhook) => ({
          seq: nextSeq(now),
          webhookId: webhook.id,
          lane: item.lane,
          eventId,
          event: item.event,
          body: JSON.stringify(buildEnvelope(item.event, item.payloadFor(webhook.format), item.timestamp, context, eventId)),
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
          ...(item.fold ? { fold: item.fold } : {}),
        }));
      if (entries.length) await dispatcher.enqueue(entries);
    },

    /** Posts a test event straight to one webhook (not queued) and reports the backend's answer. */
    async sendTest(webhook: WebhookConfig): Promise<PostResult> {
      const url = checkWebhookUrl(webhook.url);
      if (!url.ok) return { ok: false, status: 0, error: url.reason, ms: 0 };
      const { session } = settings.get();
      const me = currentMe();
      const now = Date.now();
      // The operator's own account, online: a real payload shape the backend must accept.
      const self = me?.id ?? '0@c.us';
      const change = { chatId: self, participant: self, state: 'online' as const, lastSeen: null };
      const payload = webhook.format === 'flat' ? toFlatPresence(change) : toWahaPresence(change);
      const envelope = buildEnvelope('presence.update', payload, now, { session: session.name, metadata: { ...session.metadata, test: 'true' }, me, environment });
      return postWithPermission(webhook, JSON.stringify(envelope));
    },

    async deadLetters(): Promise<DeadLetter[]> {
      return deadLettersStorage.getValue();
    },
    /** Puts the dead letters back in the outbox (a fresh set of attempts, same event ids). */
    async retryDeadLetters(): Promise<number> {
      await ready;
      return deadLetterWrites(async () => {
        const letters = await deadLettersStorage.getValue();
        const now = Date.now();
        // Into the outbox first, then off the list: a worker stopped in between
        // leaves a duplicate (same event id, which a backend can drop), never a loss.
        await dispatcher.enqueue(
          letters.map(({ reason: _reason, failedAt: _failedAt, ...entry }) => ({ ...entry, seq: nextSeq(now), attempts: 0, nextAttemptAt: now })),
        );
        await store.flush();
        await deadLettersStorage.setValue([]);
        return letters.length;
      });
    },
    clearDeadLetters: (): Promise<void> => deadLetterWrites(() => deadLettersStorage.setValue([])),
    /** Drops the queue, the dead letters and the delivery statistics. */
    async clearAll(): Promise<void> {
      await ready;
      dispatcher.discardAll();
      stats = { dropped: 0, folded: 0, last: null };
      await Promise.all([deadLetterWrites(() => deadLettersStorage.setValue([])), deliveryStatsStorage.setValue(stats), store.flush()]);
    },
    health: () => ({
      queued: dispatcher.size,
      dropped: stats.dropped,
      folded: stats.folded ?? 0,
      last: stats.last,
      ...(store.failing ? { storageError: store.failing } : {}),
    }),
    /** Resolves when every queued change is on disk (tests, benchmarks). */
    flush: () => store.flush(),
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
