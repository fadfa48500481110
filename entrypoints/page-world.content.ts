// Runs in WhatsApp Web's own JavaScript world, at document_start: before any
// of WhatsApp's scripts, and from no URL a page could fetch (a content script
// of world MAIN, not a web-accessible <script>). Thin wiring: the hook's
// pieces live in utils/page/.
import { createCapabilityRunner } from '@/utils/page/capabilities';
import { connectToContent, type PageChannel } from '@/utils/page/channel';
import { serveCommands } from '@/utils/page/command-server';
import { COMMAND_CAPABILITIES, createCommandHandler } from '@/utils/page/commands';
import { createIdResolver } from '@/utils/page/id-resolver';
import { createLayerDedup } from '@/utils/page/layer-dedup';
import { createLayerLiveness } from '@/utils/page/layer-liveness';
import { presenceModelLayer } from '@/utils/page/model-layer';
import { watchModuleDefinitions } from '@/utils/page/module-watch';
import { sessionWatch } from '@/utils/page/session-watch';
import { stanzaTap } from '@/utils/page/stanza-tap';
import { createDropReporter } from '@/utils/page/subscription-drops';
import { WA, tryRequire, waVersion, type WaWindow } from '@/utils/page/wa-modules';
import type { PresenceSignal } from '@/utils/presence/types';

/** When the socket model itself never appears, stop waiting this long after load. */
const GIVE_UP_AFTER_LOAD_MS = 30_000;

export default defineContentScript({
  matches: ['https://web.whatsapp.com/*'],
  runAt: 'document_start',
  world: 'MAIN',
  allFrames: false,
  // No `var pageWorld` on WhatsApp's window: the hook leaves no global behind.
  globalName: false,
  main: () => connectToContent(window, hook),
});

/** The hook, once the channel to our content script is open (never without it). */
function hook(channel: PageChannel) {
  const win = window as unknown as Window & WaWindow;
  const send = channel.send;
  const resolveId = createIdResolver(win);

  // Both layers report through one dedup, so a signal seen by both goes out once.
  const dedup = createLayerDedup();
  const signal = (presence: PresenceSignal) => {
    if (dedup.admit(presence)) send({ kind: 'presence', signal: presence });
  };
  // Whether the stanza tap really receives presence (see layer-liveness.ts).
  const liveness = createLayerLiveness((status) =>
    send({
      kind: 'hook',
      capability: 'stanzaTap',
      status,
      ...(status === 'quiet'
        ? { detail: `${WA.wap}.decodeStanza sees no presence while WhatsApp's Presence models change: WhatsApp Web ${waVersion(win)} handles presence off the page, so the Presence models are read instead` }
        : {}),
      version: waVersion(win),
    }),
  );
  const connected = () => {
    const socket = tryRequire(win, WA.socket)?.Socket;
    return socket?.state === 'CONNECTED' && socket.hasSynced === true;
  };
  const subscriptionsDropped = createDropReporter(connected, () => send({ kind: 'subscriptionsDropped', at: Date.now() }));

  const runner = createCapabilityRunner(
    win,
    [
      sessionWatch(win, send, () => runner.settle()),
      stanzaTap(resolveId, {
        signal,
        message: (message) => send({ kind: 'message', message }),
        installed: liveness.arm,
        presenceSeen: liveness.stanzaSeen,
      }),
      presenceModelLayer(resolveId, { signal, changes: liveness.modelChanged, subscriptionsDropped }),
      ...COMMAND_CAPABILITIES,
    ],
    send,
  );
  serveCommands(channel, createCommandHandler(win, resolveId, subscriptionsDropped), send);
  const unwatch = watchModuleDefinitions(win, () => {
    if (runner.check() === 0) unwatch();
  });
  window.addEventListener('load', () => setTimeout(() => runner.settle(), GIVE_UP_AFTER_LOAD_MS), { once: true });
}
