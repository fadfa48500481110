import { useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';
import type { ChatEntry, CommandResult, OwnChatState } from '@/utils/protocol/commands';
import { ownPresenceStorage } from '@/utils/storage';
import type { NameOf } from '@/utils/ui/chat-ids';
import { settle } from '@/utils/ui/command-result';
import { untilText } from '@/utils/ui/time-wording';
import { ChatCombobox } from './ChatCombobox';
import type { ChatListState } from './hooks/use-chat-list';
import { useNow } from './hooks/use-now';
import { useStorageItem } from './hooks/use-storage-item';

const CHAT_STATES: ReadonlyArray<{ state: OwnChatState; label: string }> = [
  { state: 'typing', label: 'Typing' },
  { state: 'recording', label: 'Recording' },
  { state: 'paused', label: 'Paused' },
];

/**
 * The operator's own presence: online held or not, and typing/recording in a
 * chat. What is shown comes from what the extension is actually sending
 * (ownPresence storage), not from which button was pressed last.
 */
export function MyPresence({ chats, nameOf }: { chats: ChatListState; nameOf: NameOf }) {
  const own = useStorageItem(ownPresenceStorage);
  // Seconds count in the last minute of a hold; otherwise a coarse tick is enough.
  const now = useNow(own?.chatstate || own?.online ? 1_000 : 15_000);
  const [chat, setChat] = useState<ChatEntry | null>(null);
  const [error, setError] = useState<string>();

  async function run(request: Promise<CommandResult<unknown>>) {
    setError(undefined);
    const result = await settle(request);
    if (!result.ok) setError(result.error);
  }

  function sendChatState(state: OwnChatState) {
    if (!chat) return setError('Choose a chat first.');
    void run(sendMessage('setChatState', { chatId: chat.id, state }));
  }

  const online = own?.online && own.online.until > now ? own.online : null;
  const chatstate = own?.chatstate && own.chatstate.until > now ? own.chatstate : null;

  return (
    <section class="card" aria-labelledby="my-presence-title">
      <h2 id="my-presence-title">My presence</h2>
      <div class="row" role="group" aria-label="Global presence">
        <button type="button" class="toggle" aria-pressed={!!online} onClick={() => void run(sendMessage('setOnline', true))}>
          Online
        </button>
        <button type="button" class="toggle" aria-pressed={own ? !online : undefined} onClick={() => void run(sendMessage('setOnline', false))}>
          Offline
        </button>
      </div>
      <p class="state" role="status">
        {online ? `Online, held ${untilText(online.until, now)}.` : 'Offline: online is not held.'}
      </p>

      <ChatCombobox label="Chat" entries={chats.entries} value={chat} onChange={setChat} note={chats.error && `Chat list unavailable: ${chats.error}`} />
      <div class="row" role="group" aria-label="Chat state">
        {CHAT_STATES.map(({ state, label }) => (
          <button
            key={state}
            type="button"
            class="toggle"
            aria-pressed={state === 'paused' ? undefined : chatstate?.state === state && chatstate.chatId === chat?.id}
            onClick={() => sendChatState(state)}
          >
            {label}
          </button>
        ))}
      </div>
      <p class="state" role="status">
        {chatstate
          ? `${chatstate.state === 'typing' ? 'Typing' : 'Recording'} in ${nameOf(chatstate.chatId)}, ${untilText(chatstate.until, now)}.`
          : 'Not typing or recording in any chat.'}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
