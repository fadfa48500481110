import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '@/utils/messaging';
import type { DeadLetter } from '@/utils/outbox/types';
import { deadLettersStorage, webhooksStorage } from '@/utils/storage';
import { displayNumber } from '@/utils/ids/chat-id';
import { useStorageItem } from './hooks/use-storage-item';

const when = (ms: number) => new Date(ms).toLocaleString();

/** Events that will not be delivered by themselves, with the reason; retried or dropped by hand. */
export function DeadLettersSection() {
  const [letters, setLetters] = useState<DeadLetter[]>();
  const [result, setResult] = useState<string>();
  const webhooks = useStorageItem(webhooksStorage);

  useEffect(() => {
    sendMessage('getDeadLetters', undefined).then(setLetters, (error: Error) => setResult(`Could not read dead letters: ${error.message}`));
    // The background adds and removes them; follow it live.
    return deadLettersStorage.watch(setLetters);
  }, []);

  async function act(action: () => Promise<string>) {
    try {
      setResult(await action());
    } catch (error) {
      setResult(`Failed: ${(error as Error).message}`);
    }
  }
  const retry = () => act(async () => `Put ${await sendMessage('retryDeadLetters', undefined)} event(s) back in the outbox.`);
  const clear = () => act(async () => (await sendMessage('clearDeadLetters', undefined), 'Dead letters cleared.'));
  const urlOf = (id: string) => webhooks?.find((webhook) => webhook.id === id)?.url ?? `removed webhook ${id}`;

  return (
    <section class="card" aria-labelledby="dead-title">
      <h2 id="dead-title">Dead letters</h2>
      <p class="hint">Events a backend refused (4xx) or that failed every retry. Retrying sends them again with the same event ids.</p>
      {letters?.length === 0 && <p class="empty">None.</p>}
      {letters && letters.length > 0 && (
        <ul class="dead-letters" aria-label="Dead letters">
          {letters.map((letter) => (
            <li key={letter.seq}>
              <span>
                <strong>{letter.event}</strong> for {displayNumber(letter.lane)} to {urlOf(letter.webhookId)}
              </span>
              <span class="error">{letter.reason}</span>
              <span class="hint">
                {when(letter.failedAt)} · {letter.attempts} attempt{letter.attempts === 1 ? '' : 's'} · {letter.eventId}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={!letters?.length} onClick={() => void retry()}>
          Retry
        </button>
        <button type="button" disabled={!letters?.length} onClick={() => void clear()}>
          Clear
        </button>
      </div>
      <p class="notice" role="status">
        {result}
      </p>
    </section>
  );
}
