import { vi } from 'vitest';
import { sendMessage } from '@/utils/messaging';

/**
 * Answers the popup's and options page's messages to the background, per
 * type, as the background would. Test files mock '@/utils/messaging' with
 * `{ sendMessage: vi.fn() }` first (vi.mock is per file).
 */
export type Answers = Partial<Record<string, (data: any) => unknown>>;

export function answerMessages(answers: Answers) {
  const send = vi.mocked(sendMessage);
  send.mockReset();
  send.mockImplementation((async (type: string, data: unknown) => {
    const answer = answers[type];
    if (!answer) throw new Error(`Could not establish connection. Receiving end does not exist. (${type})`);
    return answer(data);
  }) as any);
  /** The data of every message of this type, in order. */
  return (type: string) => send.mock.calls.filter(([t]) => t === type).map(([, data]) => data);
}
