// Runs in WhatsApp Web's tab, isolated from the page: opens the private channel,
// injects the page-world hook, validates what it reports and passes it on.
import { listenForPageWorld } from '@/utils/content/page-bridge';
import { sendMessage } from '@/utils/messaging';
import type { PageMessage } from '@/utils/protocol/page-messages';

const LOG_PREFIX = '[wa-presence]';

function forward(message: PageMessage) {
  const sent = (() => {
    switch (message.kind) {
      case 'presence':
        return sendMessage('presenceSignal', message.signal);
      case 'message':
        return sendMessage('incomingMessage', message.message);
      case 'session':
        return sendMessage('sessionReport', message);
      case 'hook':
        return sendMessage('hookReport', message);
    }
  })();
  sent.catch((error) => console.warn(LOG_PREFIX, 'background unreachable:', String(error)));
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
