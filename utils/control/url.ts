import { LOOPBACK_HOSTS, type UrlCheck } from '../webhook/config';

/**
 * A control URL must be wss://, or plain ws:// only to this machine (a team
 * trying the relay locally), for the same reason as webhooks: presence and
 * commands must not cross a network in clear.
 */
export function checkControlUrl(text: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text}" is not a URL (expected wss://your-backend/control)` };
  }
  if (url.protocol === 'wss:') return { ok: true, url };
  if (url.protocol === 'ws:') {
    if (LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, url };
    return { ok: false, reason: `plain ws:// is only allowed to this machine (127.0.0.1 or localhost); use wss:// for ${url.hostname}` };
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    return { ok: false, reason: `the control URL is a WebSocket: write ${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${url.pathname}` };
  }
  return { ok: false, reason: `${url.protocol} is not supported: use a wss:// (or local ws://) URL` };
}

/**
 * The host permission the operator grants for the control URL: the same
 * per-host grant as a webhook on that host (https for wss, http for ws), so
 * one "Allow" covers a backend that takes both, and the optional host
 * permissions of the manifest need no new scheme. WebSockets are not gated by
 * host permissions in browsers; the background checks the grant itself, so
 * the operator's "Allow" is what lets the channel open.
 */
export function controlPermissionPattern(url: URL): string {
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${url.hostname}/*`;
}
