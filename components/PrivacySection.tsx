import { useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';

/** What is sent where and what is kept, and the button that forgets it. */
export function PrivacySection() {
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<string>();

  async function clearAll() {
    setConfirming(false);
    try {
      await sendMessage('clearAllState', undefined);
      setResult('Cleared: live presence, queued and dead-lettered events, follows and delivery stats are gone. Your settings are kept.');
    } catch (error) {
      setResult(`Could not clear: ${(error as Error).message}`);
    }
  }

  return (
    <section class="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      <ul class="plain">
        <li>
          <strong>Sent:</strong> your contacts' presence (who, online or last seen, typing, recording), WhatsApp Web's session status, your own
          account id and name, and the session name and metadata above, only to the webhook URLs above (never your browser or system). Nothing
          goes to the extension's authors or anyone else.
        </li>
        <li>
          <strong>Kept in this browser:</strong> these settings (webhook secrets included) and your followed contacts; the live presence only until
          the browser closes, the WhatsApp tab closes or you log out; undelivered events until they are delivered (at most 10,000); dead letters
          until you retry or clear them.
        </li>
        <li>
          <strong>Never:</strong> message contents. Secrets never reach the WhatsApp Web page.
        </li>
      </ul>
      <p>
        {/* A page inside the extension (entrypoints/privacy/), bundled from PRIVACY.md: it opens offline and shows this build's own policy. */}
        <a href="/privacy.html" target="_blank" rel="noopener">
          Privacy policy
        </a>
        : every field sent, everything stored and for how long.
      </p>
      <div class="row">
        {confirming ? (
          <>
            <span>Forget presence, queued events, dead letters and follows?</span>
            <button type="button" class="danger" onClick={() => void clearAll()}>
              Yes, clear it
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" class="danger" onClick={() => (setResult(undefined), setConfirming(true))}>
            Clear all stored state
          </button>
        )}
      </div>
      <p class="notice" role="status">
        {result}
      </p>
    </section>
  );
}
