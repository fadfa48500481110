import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';
import type { ChatEntry } from '@/utils/protocol/commands';
import { mergeChatList } from '@/utils/ui/chat-ids';
import { settle } from '@/utils/ui/command-result';

export interface ChatListState {
  /** Chats then contacts, one per id; null until read or when unavailable. */
  entries: ChatEntry[] | null;
  /** Why there is no list (no WhatsApp tab, not logged in…). */
  error?: string;
  loaded: boolean;
}

/**
 * WhatsApp's chats and contacts, read once when the popup opens. When that
 * failed, it is read again each time `retryKey` changes (e.g. WhatsApp Web
 * finished loading while the popup was open).
 */
export function useChatList(retryKey: unknown): ChatListState {
  const [state, setState] = useState<ChatListState>({ entries: null, loaded: false });
  const attempt = useRef<'none' | 'pending' | 'ok' | 'failed'>('none');
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  // A layout effect, so the (slowest) read of the popup starts at mount, not a frame later.
  useLayoutEffect(() => {
    if (attempt.current === 'pending' || attempt.current === 'ok') return;
    attempt.current = 'pending';
    void settle(sendMessage('listChats', undefined)).then((result) => {
      attempt.current = result.ok ? 'ok' : 'failed';
      if (!mounted.current) return;
      setState(result.ok ? { entries: mergeChatList(result.value), loaded: true } : { entries: null, error: result.error, loaded: true });
    });
  }, [retryKey]);
  return state;
}
