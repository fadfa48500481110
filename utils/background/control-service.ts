import { reconnectDelayMs } from '../control/backoff';
import { openControlClient, type ControlClient, type SocketLike } from '../control/client';
import type { ControlRequest } from '../control/requests';
import type { ControlAnswer, ControlHistoryEntry, ControlStatus } from '../control/types';
import { checkControlUrl, controlPermissionPattern } from '../control/url';
import {
  CONTROL_HISTORY_MAX,
  controlHistoryStorage,
  controlSettingsStorage,
  controlStatusStorage,
  sessionSettingsStorage,
  whatsappSessionStorage,
  type ControlSettings,
} from '../storage';
import type { ControlOps } from './control-ops';
import { createSerialQueue } from './serial';
import type { SettingsCache } from './settings-cache';

/** Wakes the background to reconnect if it was stopped while the channel should be open (timers die with it). */
const RECONNECT_ALARM = 'control-reconnect';
const LOG_PREFIX = '[wa-presence]';

const describeClose = (host: string, closed: { code: number; reason: string; refusedKey: boolean }) =>
  closed.refusedKey
    ? `${host} refused the control key, or did not prove it holds it: check the key in the options (${closed.reason || closed.code})`
    : closed.code === 4409
      ? `another browser connected for this session name (${closed.reason || 'replaced'})`
      : `the connection to ${host} closed (${closed.code}${closed.reason ? `: ${closed.reason}` : ''})`;

/**
 * The background's end of the control channel (docs/control-channel.md): open
 * while a control URL is set, its host granted and a WhatsApp Web session
 * live; closed otherwise, so an operator without a channel keeps a background
 * that stops when idle. Reconnects with backoff; answers each request through
 * the control ops and records it in the operator's history.
 */
export function createControlService(settings: SettingsCache, ops: ControlOps, version: string, openSocket: (url: string) => SocketLike) {
  let control: ControlSettings = { url: '', key: '', enabled: false };
  let client: ControlClient | null = null;
  /** What the open client was opened with: a change of any of these reconnects. */
  let clientFor = '';
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const serialized = createSerialQueue('control channel');
  const recordSerial = createSerialQueue('control history');

  const statusSerial = createSerialQueue('control status');
  /** In the order they happen: a late write of an older state must not win. */
  const setStatus = (status: Omit<ControlStatus, 'since'>) =>
    statusSerial(async () => {
      const current = await controlStatusStorage.getValue();
      await controlStatusStorage.setValue({ ...status, since: current.state === status.state ? current.since : Date.now() });
    });

  async function sessionLive() {
    const { tabId, status } = await whatsappSessionStorage.getValue();
    return tabId !== null && status !== null && status !== 'STOPPED';
  }

  function closeClient(reason: string) {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const closing = client;
    client = null;
    clientFor = '';
    closing?.close(reason);
  }

  /** No channel for now: no socket, no wake-up alarm (nothing keeps the background alive), and why. */
  async function stayClosed(reason: string, status: Omit<ControlStatus, 'since'>) {
    closeClient(reason);
    await browser.alarms.clear(RECONNECT_ALARM);
    await setStatus(status);
  }

  /** Brings the channel to what the settings and the session say it should be. */
  const reconcile = () =>
    serialized(async () => {
      await settings.ready;
      if (!control.url) {
        return stayClosed('no control URL', { state: 'off' });
      }
      const checked = checkControlUrl(control.url);
      if (!checked.ok || !control.key) {
        return stayClosed('control settings incomplete', { state: 'off', detail: checked.ok ? 'no control key is set' : checked.reason });
      }
      const pattern = controlPermissionPattern(checked.url);
      if (!(await browser.permissions.contains({ origins: [pattern] }))) {
        return stayClosed('permission removed', {
          state: 'off',
          detail: `the permission to reach ${checked.url.host} was not granted: save the control URL again in the options`,
        });
      }
      if (!(await sessionLive())) {
        return stayClosed('no WhatsApp Web session', { state: 'waiting', detail: 'waiting for a WhatsApp Web tab' });
      }
      const wanted = JSON.stringify([control.url, control.key, settings.get().session.name]);
      if (client && clientFor === wanted) return;
      if (retryTimer && clientFor === wanted) return; // a retry is already scheduled
      closeClient('control settings changed');
      await browser.alarms.create(RECONNECT_ALARM, { periodInMinutes: 1 });
      connect(checked.url, wanted);
    });

  function connect(url: URL, wanted: string) {
    clientFor = wanted;
    void setStatus({ state: 'connecting', detail: url.host });
    let opened: ControlClient;
    try {
      opened = openControlClient({
        url: url.href,
        key: control.key,
        session: settings.get().session.name,
        version,
        openSocket,
        onRequest: (op, params) => onRequest(op, params),
        onConnected: () => {
          if (client !== opened) return; // closed on purpose meanwhile
          attempt = 0;
          void setStatus({ state: 'connected', detail: url.host });
        },
        onClosed: (closed) => {
          if (client !== opened) return; // closed on purpose, replaced already
          client = null;
          const delay = reconnectDelayMs(closed.wasConnected ? 0 : attempt, closed.refusedKey);
          attempt = closed.wasConnected ? 1 : attempt + 1;
          const detail = describeClose(url.host, closed);
          console.warn(LOG_PREFIX, 'control channel:', detail);
          void setStatus({ state: 'retrying', detail, retryAt: Date.now() + delay });
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            clientFor = '';
            void reconcile();
          }, delay);
        },
        // Firefox counts extension API calls, not WebSocket traffic, as activity of an event page.
        onTick: () => void browser.alarms.get(RECONNECT_ALARM),
      });
    } catch (error) {
      clientFor = '';
      void setStatus({ state: 'retrying', detail: `cannot open ${url.host}: ${String(error).slice(0, 200)}`, retryAt: Date.now() + 60_000 });
      return;
    }
    client = opened;
  }

  async function onRequest(op: string, params: unknown): Promise<ControlAnswer> {
    // Read at the moment of the request: the operator's switch acts at once.
    const { enabled } = await controlSettingsStorage.getValue();
    const { request, answer } = await ops.handle(op, params, enabled);
    void recordSerial(() => record(op, request, answer));
    return answer;
  }

  async function record(op: string, request: ControlRequest | null, answer: ControlAnswer) {
    const chatId = request && 'chatId' in request ? request.chatId : undefined;
    const chatName = chatId ? settings.get().follows.find((follow) => follow.id === chatId)?.name : undefined;
    const entry: ControlHistoryEntry = {
      at: Date.now(),
      op: op.slice(0, 64),
      ...(chatId ? { chatId } : {}),
      ...(chatName ? { chatName } : {}),
      ...(request?.op === 'presence.set' ? { presence: request.presence } : {}),
      ok: answer.ok,
      ...(answer.ok ? {} : { error: answer.error.message.slice(0, 300) }),
    };
    const history = await controlHistoryStorage.getValue();
    await controlHistoryStorage.setValue([entry, ...history].slice(0, CONTROL_HISTORY_MAX));
  }

  // A change seen before the first read resolves is newer than that read.
  let changedEarly = false;
  controlSettingsStorage.watch((value) => {
    changedEarly = true;
    control = value ?? { url: '', key: '', enabled: false };
    void reconcile();
  });
  whatsappSessionStorage.watch(() => void reconcile());
  sessionSettingsStorage.watch(() => void reconcile());
  browser.permissions.onAdded.addListener(() => void reconcile());
  browser.permissions.onRemoved.addListener(() => void reconcile());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RECONNECT_ALARM) void reconcile();
  });
  const ready = controlSettingsStorage.getValue().then((value) => {
    if (!changedEarly) control = value;
    return reconcile();
  });

  return { ready, reconcile };
}

export type ControlService = ReturnType<typeof createControlService>;
