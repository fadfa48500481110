import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CommandService } from '@/utils/background/command-service';
import { createFollowService } from '@/utils/background/follow-service';
import { createSettingsCache } from '@/utils/background/settings-cache';
import type { CommandResult, PageCommand } from '@/utils/protocol/commands';
import { followsStorage, type Follow } from '@/utils/storage';

const follow = (id: string): Follow => ({ id, name: id, isGroup: id.endsWith('@g.us'), addedAt: 1 });
const until = async (check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

beforeEach(() => fakeBrowser.reset());

describe('follow renewal', () => {
  it('skips and flags a follow that fails, renews the rest, and stops only when nothing can work', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await followsStorage.setValue([follow('1@c.us'), follow('120363@g.us'), follow('3@c.us')]);
    const answers: Record<string, CommandResult<unknown>> = {
      '1@c.us': { ok: true, value: {} },
      '120363@g.us': { ok: false, error: "unknown group 120363@g.us: it is not among WhatsApp Web's chats", kind: 'unknown_chat' },
      '3@c.us': { ok: true, value: {} },
    };
    const toPage = vi.fn(async (command: PageCommand) => answers[(command as { chatId: string }).chatId]!);
    const follows = createFollowService(createSettingsCache(), { toPage } as unknown as CommandService);
    follows.renewSoon();
    await until(async () => (await followsStorage.getValue())[1]?.renewal !== undefined);
    expect(toPage.mock.calls.map(([command]) => (command as { chatId: string }).chatId)).toEqual(['1@c.us', '120363@g.us', '3@c.us']);
    const stored = await followsStorage.getValue();
    expect(stored[1]!.renewal).toMatchObject({ failures: 1, error: expect.stringContaining('unknown group') });
    expect(stored[0]!.renewal).toBeUndefined();

    // Logged out: the first answer says nothing can work, so the renewal stops there and flags nobody.
    toPage.mockClear();
    toPage.mockResolvedValue({ ok: false, error: 'WhatsApp Web is not logged in', kind: 'not_logged_in' });
    follows.renewSoon();
    await until(() => toPage.mock.calls.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(toPage).toHaveBeenCalledTimes(1);
    expect((await followsStorage.getValue())[1]!.renewal!.failures).toBe(1);
  });

  it('re-ensures the renewal alarm at start-up without moving one that is there', async () => {
    await followsStorage.setValue([follow('1@c.us')]);
    createFollowService(createSettingsCache(), { toPage: vi.fn() } as unknown as CommandService);
    await until(async () => (await fakeBrowser.alarms.get('resubscribe-follows')) !== undefined);
    const first = await fakeBrowser.alarms.get('resubscribe-follows');
    createFollowService(createSettingsCache(), { toPage: vi.fn() } as unknown as CommandService);
    await new Promise((r) => setTimeout(r, 50));
    expect((await fakeBrowser.alarms.get('resubscribe-follows'))?.scheduledTime).toBe(first!.scheduledTime);
  });
});
