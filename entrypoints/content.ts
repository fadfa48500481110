// Runs in WhatsApp Web's tab, isolated from the page: opens the private channel
// to the page-world hook (entrypoints/page-world.content.ts, which the browser
// runs beside it at document_start), validates what it reports and passes it
// on, and carries the operator's commands to it.
import { createCommandClient } from '@/utils/content/command-client';
import { createOwnPresenceHolder } from '@/utils/content/own-presence-holder';
import { listenForPageWorld } from '@/utils/content/page-bridge';
import { createSessionPort } from '@/utils/content/session-port';
import { onMessage, sendMessage } from '@/utils/messaging';
import type { PageMessage } from '@/utils/protocol/page-messages';

const LOG_PREFIX = '[wa-presence]';
const unreachable = (error: unknown) => console.warn(LOG_PREFIX, 'background unreachable:', String(error));

export default defineContentScript({
  matches: ['https://web.whatsapp.com/*'],
  runAt: 'document_start',
  allFrames: false,
  // WXT would also announce itself with a window.postMessage every page script can read.
  noScriptStartedPostMessage: true,
  main() {
    const pageId = crypto.randomUUID();
    const sessionPort = createSessionPort(pageId);
    const commands = createCommandClient((request) => bridge.post(request));
    const holder = createOwnPresenceHolder({
      run: commands.request,
      report: (state) => void sendMessage('ownPresence', state).catch(unreachable),
      now: Date.now,
    });

    const forward = (message: PageMessage) => {
      sessionPort.ensure();
      switch (message.kind) {
        case 'presence':
          return sessionPort.send({ signal: message.signal });
        case 'reply':
          return commands.onReply(message);
        case 'message':
          return sessionPort.send({ message: message.message });
        case 'session':
          return void sendMessage('sessionReport', message).catch(unreachable);
        case 'hook':
          return void sendMessage('hookReport', message).catch(unreachable);
        case 'subscriptionsDropped':
          return void sendMessage('subscriptionsDropped', undefined).catch(unreachable);
      }
    };
    const bridge = listenForPageWorld(window, {
      onMessage: forward,
      onDrop: (reason) => console.warn(LOG_PREFIX, 'dropped a message from the page:', reason),
    });

    onMessage('tabAlive', () => {
      sessionPort.ensure();
      return { pageId };
    });
    onMessage('pageCommand', ({ data: { command, holdMs } }) => {
      if (command.type === 'chatstate') return holder.chatState(command.chatId, command.state, holdMs ?? 0);
      if (command.type === 'online' || command.type === 'offline') return holder.online(command.type === 'online', holdMs ?? 0);
      return commands.request(command);
    });
  },
});
