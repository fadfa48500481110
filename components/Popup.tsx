import { useLayoutEffect, useMemo } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import { behaviourStorage, followsStorage, whatsappSessionStorage } from '@/utils/storage';
import { nameLookup } from '@/utils/ui/chat-ids';
import { FollowedContacts } from './FollowedContacts';
import { MyPresence } from './MyPresence';
import { RemoteControlLine } from './RemoteControlLine';
import { StatusLine } from './StatusLine';
import { useChatList } from './hooks/use-chat-list';
import { usePresenceTable } from './hooks/use-presence-table';
import { useStorageItem } from './hooks/use-storage-item';

/** Marked once the followed list and the chat picker are usable (read by `npm run bench:popup`). */
export const READY_MARK = 'popup-ready';

export function Popup() {
  const session = useStorageItem(whatsappSessionStorage);
  const follows = useStorageItem(followsStorage);
  const presence = usePresenceTable();
  const behaviour = useStorageItem(behaviourStorage);
  // Read again when WhatsApp Web's state changes, in case it was not ready yet.
  const chats = useChatList(session?.status);
  const nameOf = useMemo(() => nameLookup(chats.entries ?? [], follows ?? []), [chats.entries, follows]);

  const ready = follows !== undefined && presence !== undefined && chats.loaded;
  // Marked when the DOM holds both (a layout effect: same commit, before paint).
  useLayoutEffect(() => {
    if (ready && !performance.getEntriesByName(READY_MARK).length) performance.mark(READY_MARK);
  }, [ready]);

  return (
    <main class="popup" data-ready={ready ? 'true' : undefined}>
      <header class="bar">
        <h1>Presence Companion</h1>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      <StatusLine session={session} />
      <RemoteControlLine />
      <MyPresence chats={chats} nameOf={nameOf} />
      <FollowedContacts
        chats={chats}
        nameOf={nameOf}
        follows={follows}
        presence={presence}
        cap={behaviour?.followCap ?? DEFAULT_BEHAVIOUR.followCap}
      />
    </main>
  );
}
