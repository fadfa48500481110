import { useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';
import type { PresenceTable } from '@/utils/presence/reducer';
import type { Follow } from '@/utils/storage';
import type { NameOf } from '@/utils/ui/chat-ids';
import { settle } from '@/utils/ui/command-result';
import { chatOfFollow } from '@/utils/ui/presence-wording';
import { FollowForm } from './FollowForm';
import { FollowRow } from './FollowRow';
import type { ChatListState } from './hooks/use-chat-list';
import { useNow } from './hooks/use-now';

interface Props {
  chats: ChatListState;
  nameOf: NameOf;
  /** undefined until read from storage. */
  follows: Follow[] | undefined;
  presence: PresenceTable | undefined;
  cap: number;
}

/** Followed contacts and groups, each with what they are doing now, and the follow cap with its reason. */
export function FollowedContacts({ chats, nameOf, follows, presence, cap }: Props) {
  const now = useNow(30_000);
  const [error, setError] = useState<string>();

  async function unfollow(follow: Follow) {
    setError(undefined);
    const result = await settle(sendMessage('unfollow', follow.id));
    if (!result.ok) setError(`Could not unsubscribe ${follow.name}: ${result.error}`);
  }

  return (
    <section class="card" aria-labelledby="follows-title">
      <h2 id="follows-title">Subscribed contacts</h2>
      <FollowForm chats={chats} />
      <p class="hint">
        {follows?.length ?? 0} of {cap} followed. The cap keeps subscriptions few: subscribing to many contacts at once looks like automation to
        WhatsApp.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {follows && follows.length > 0 && (
        <ul class="follow-list" aria-label="Followed contacts">
          {follows.map((follow) => (
            <FollowRow key={follow.id} follow={follow} presence={chatOfFollow(presence, follow.id)} nameOf={nameOf} now={now} onUnfollow={unfollow} />
          ))}
        </ul>
      )}
      {follows?.length === 0 && <p class="empty">Nobody followed yet.</p>}
    </section>
  );
}
