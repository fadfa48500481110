// Runs in WhatsApp Web's own JavaScript world (injected by the content script).
// Thin wiring: the hook's pieces live in utils/page/.
import { LoadUtils } from 'whatsapp-web.js/src/util/Injected/Utils.js';
import { createCapabilityRunner } from '@/utils/page/capabilities';
import { openChannel, sendToContent, takeChannelToken } from '@/utils/page/channel';
import { createIdResolver } from '@/utils/page/id-resolver';
import { watchModuleDefinitions } from '@/utils/page/module-watch';
import { sessionWatch } from '@/utils/page/session-watch';
import { stanzaTap } from '@/utils/page/stanza-tap';
import type { WaWindow } from '@/utils/page/wa-modules';

/** When the socket model itself never appears, stop waiting this long after load. */
const GIVE_UP_AFTER_LOAD_MS = 30_000;

export default defineUnlistedScript(() => {
  const token = takeChannelToken(document.currentScript);
  if (!token) return; // not injected by our content script: do nothing at all
  const win = window as unknown as Window & WaWindow & { WWebJS?: unknown };
  const port = openChannel(window, token);
  const send = sendToContent.bind(null, port);

  const onSynced = () => {
    // whatsapp-web.js's page utilities call window.require lazily, so they are
    // safe to load once the app has synced; later commands use them.
    if (!win.WWebJS) LoadUtils();
    runner.settle();
  };
  const runner = createCapabilityRunner(
    win,
    [sessionWatch(win, send, onSynced), stanzaTap(createIdResolver(win), send)],
    send,
  );
  const unwatch = watchModuleDefinitions(win, () => {
    if (runner.check() === 0) unwatch();
  });
  window.addEventListener('load', () => setTimeout(() => runner.settle(), GIVE_UP_AFTER_LOAD_MS), { once: true });
});
