// Runs in WhatsApp Web's tab, isolated from the page: opens the private channel,
// injects the page-world hook, validates what it reports and passes it on.
import { listenForPageWorld } from '@/utils/content/page-bridge';
import { createBatcher } from '@/utils/content/signal-batcher';
import { sendMessage } from '@/utils/messaging';
import type { PageMessage } from '@/utils/protocol/page-messages';
import type { PresenceSignal } from '@/utils/presence/types';

const LOG_PREFIX = '[wa-presence]';
const unreachable = (error: unknown) => console.warn(LOG_PREFIX, 'background unreachable:', String(error));
const sendSignals = createBatcher<PresenceSignal>((signals) => sendMessage('presenceSignals', signals), unreachable);

function forward(message: PageMessage) {
  if (message.kind === 'presence') return sendSignals(message.signal);
  const sent = (() => {
    switch (message.kind) {
      case 'message':
        return sendMessage('incomingMessage', message.message);
      case 'session':
        return sendMessage('sessionReport', message);
      case 'hook':
        return sendMessage('hookReport', message);
    }
  })();
  sent.catch(unreachable);
}

export default defineContentScript({
  matches: ['https://web.whatsapp.com/*'],
  runAt: 'document_start',
  allFrames: false,
  async main() {
    const bridge = listenForPageWorld(window, {
      onMessage: forward,
      onDrop: (reason) => console.warn(LOG_PREFIX, 'dropped a message from the page:', reason),
    });
    await injectScript('/page-world.js', {
      modifyScript: (script) => {
        script.dataset.channel = bridge.token;
      },
    });
  },
});
