// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { offerToken } from '@/utils/content/page-bridge';
import { awaitToken } from '@/utils/page/channel';
import { CHANNEL_READY, CHANNEL_TOKEN } from '@/utils/protocol/page-channel';

// The token exchange between the content script and the page-world script,
// both at document_start, in either order (neither browser promises one).

/** What a page script listening for the token would learn. */
function tokensSeenByPage() {
  const seen: unknown[] = [];
  document.addEventListener(CHANNEL_TOKEN, (event) => seen.push((event as CustomEvent).detail));
  return seen;
}

afterEach(() => document.querySelectorAll('script').forEach((script) => script.remove()));

describe('token exchange', () => {
  it('hands the token over when the page-world script runs first', () => {
    const accepted: string[] = [];
    awaitToken(document, (token) => accepted.push(token));
    offerToken(document, 'token-1');
    expect(accepted).toEqual(['token-1']);
  });

  it('hands the token over when the content script runs first', () => {
    const accepted: string[] = [];
    offerToken(document, 'token-2');
    awaitToken(document, (token) => accepted.push(token));
    expect(accepted).toEqual(['token-2']);
  });

  it('leaves no listener behind in either order: a page script can neither learn the token nor hand one in', () => {
    for (const contentFirst of [true, false]) {
      const accepted: string[] = [];
      if (contentFirst) offerToken(document, 'real');
      awaitToken(document, (token) => accepted.push(token));
      if (!contentFirst) offerToken(document, 'real');
      // Later, a page script:
      document.body.append(document.createElement('script'));
      const seen = tokensSeenByPage();
      document.dispatchEvent(new CustomEvent(CHANNEL_READY));
      document.dispatchEvent(new CustomEvent(CHANNEL_TOKEN, { detail: 'forged' }));
      expect(seen).toEqual(['forged']); // only its own
      expect(accepted).toEqual(['real']);
      document.querySelectorAll('script').forEach((script) => script.remove());
    }
  });

  it('never gives the token to a "ready" once a page script has run (the page-world script did not)', () => {
    offerToken(document, 'secret');
    document.head.append(document.createElement('script'));
    const seen = tokensSeenByPage();
    document.dispatchEvent(new CustomEvent(CHANNEL_READY));
    expect(seen).toEqual([]);
  });

  it('takes no token once a page script has run (the content script did not)', () => {
    const accepted: string[] = [];
    awaitToken(document, (token) => accepted.push(token));
    document.head.append(document.createElement('script'));
    document.dispatchEvent(new CustomEvent(CHANNEL_TOKEN, { detail: 'from-the-page' }));
    expect(accepted).toEqual([]);
  });
});
