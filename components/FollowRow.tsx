import type { ChatPresence } from '@/utils/presence/reducer';
import type { Follow } from '@/utils/storage';
import { displayNumber } from '@/utils/ids/chat-id';
import type { NameOf } from '@/utils/ui/chat-ids';
import { contactStatus, groupStatus } from '@/utils/ui/presence-wording';

interface Props {
  follow: Follow;
  presence: ChatPresence | undefined;
  nameOf: NameOf;
  now: number;
  onUnfollow(follow: Follow): void;
}

/** One followed contact or group with its live status. */
export function FollowRow({ follow, presence, nameOf, now, onUnfollow }: Props) {
  const status = follow.isGroup ? groupStatus(presence, nameOf) : contactStatus(follow.id, presence, now);
  return (
    <li class="follow-row">
      <span class={`dot ${status.tone}`} aria-hidden="true" />
      <span class="follow-text">
        <span class="follow-name">{follow.name}</span>
        <span class={`follow-status ${status.tone}`}>{status.text}</span>
        {follow.renewal && (
          <span class="follow-status failing" role="status">
            Not renewed ({follow.renewal.failures}×): {follow.renewal.error}
          </span>
        )}
      </span>
      <span class="follow-id">{follow.isGroup ? 'group' : displayNumber(follow.id)}</span>
      <button type="button" class="icon" aria-label={`Unsubscribe ${follow.name}`} title={`Unsubscribe ${follow.name}`} onClick={() => onUnfollow(follow)}>
        ×
      </button>
    </li>
  );
}
