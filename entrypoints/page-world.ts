// Runs in WhatsApp Web's own JavaScript world (injected by the content script).
// Thin wiring: the hook's pieces live in utils/page/.
import { LoadUtils } from 'whatsapp-web.js/src/util/Injected/Utils.js';
import { createCapabilityRunner } from '@/utils/page/capabilities';
import { openChannel, sendToContent, takeChannelToken } from '@/utils/page/channel';
import { serveCommands } from '@/utils/page/command-server';
import { COMMAND_CAPABILITIES, createCommandHandler } from '@/utils/page/commands';
import { createIdResolver } from '@/utils/page/id-resolver';
import { createLayerDedup } from '@/utils/page/layer-dedup';
import { presenceModelLayer } from '@/utils/page/model-layer';
import { watchModuleDefinitions } from '@/utils/page/module-watch';
import { sessionWatch } from '@/utils/page/session-watch';
import { stanzaTap } from '@/utils/page/stanza-tap';
import type { WaWindow } from '@/utils/page/wa-modules';
import type { PresenceSignal } from '@/utils/presence/types';

/** When the socket model itself never appears, stop waiting this long after load. */
const GIVE_UP_AFTER_LOAD_MS = 30_000;

export default defineUnlistedScript(() => {
  const token = takeChannelToken(document.currentScript);
  if (!token) return; // not injected by our content script: do nothing at all
  const win = window as unknown as Window & WaWindow & { WWebJS?: unknown };
  const port = openChannel(window, token);
  const send = sendToContent.bind(null, port);
  const resolveId = createIdResolver(win);

  // Both layers report through one dedup, so a signal seen by both goes out once.
  const dedup = createLayerDedup();
  const signal = (presence: PresenceSignal) => {
    if (dedup.admit(presence)) send({ kind: 'presence', signal: presence });
  };

  const onSynced = () => {
    // whatsapp-web.js's page utilities call window.require lazily, so they are
    // safe to load once the app has synced; the chat-state command uses them.
    if (!win.WWebJS) LoadUtils();
    runner.settle();
  };
  const runner = createCapabilityRunner(
    win,
    [
      sessionWatch(win, send, onSynced),
      stanzaTap(resolveId, { signal, message: (message) => send({ kind: 'message', message }) }),
      presenceModelLayer(resolveId, signal),
      ...COMMAND_CAPABILITIES,
    ],
    send,
  );
  serveCommands(port, createCommandHandler(win, resolveId), send);
  const unwatch = watchModuleDefinitions(win, () => {
    if (runner.check() === 0) unwatch();
  });
  window.addEventListener('load', () => setTimeout(() => runner.settle(), GIVE_UP_AFTER_LOAD_MS), { once: true });
});
