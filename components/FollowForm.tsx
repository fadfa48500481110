import { useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';
import { settle } from '@/utils/ui/command-result';
import { resolveContact } from '@/utils/ui/contact-input';
import type { ChatListState } from './hooks/use-chat-list';

/**
 * "Contact" + "Subscribe": a name from WhatsApp's chats and contacts, or a
 * phone number. Bad input, and the background's refusals (the follow cap),
 * are explained right under the field.
 */
export function FollowForm({ chats }: { chats: ChatListState }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function subscribe(event: Event) {
    event.preventDefault();
    const choice = resolveContact(text, chats.entries, chats.error);
    if (!choice.ok) return setError(choice.error);
    setError(undefined);
    setBusy(true);
    const result = await settle(sendMessage('follow', { id: choice.id, name: choice.name }));
    setBusy(false);
    if (result.ok) setText('');
    else setError(result.error);
  }

  return (
    <form class="follow-form" onSubmit={subscribe} noValidate>
      <label for="follow-contact">Contact</label>
      <div class="row">
        <input
          id="follow-contact"
          type="text"
          autocomplete="off"
          placeholder="Name or +country number"
          value={text}
          aria-invalid={!!error}
          aria-describedby={error ? 'follow-error' : undefined}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setError(undefined);
          }}
        />
        <button type="submit" class="primary" aria-busy={busy}>
          Subscribe
        </button>
      </div>
      {error && (
        <p id="follow-error" class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
