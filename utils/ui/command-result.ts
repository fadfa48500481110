import type { CommandResult } from '@/utils/protocol/commands';

/**
 * A message to the background that failed to arrive (worker not answering, no
 * handler in this build) becomes a refusal with the reason, like any other
 * command error, so every caller shows errors one way.
 */
export async function settle<T>(request: Promise<CommandResult<T>>): Promise<CommandResult<T>> {
  try {
    const result = await request;
    return result ?? { ok: false, error: 'The extension gave no answer.' };
  } catch (error) {
    return { ok: false, error: `The extension did not answer: ${(error as Error)?.message ?? String(error)}` };
  }
}
