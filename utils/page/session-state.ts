import { WAState } from 'whatsapp-web.js/src/util/Constants.js';
import type { SessionState } from '../protocol/page-messages';

/**
 * What a WhatsApp Web socket state means for the session (whatsapp-web.js's
 * `WAState` names every `WAWebSocketModel.Socket.state`). PAIRING is two
 * things: with `hasSynced` a synced session resuming after a reconnect
 * (`Stream.info` RESUMING), without it the QR screen. Only UNPAIRED /
 * UNPAIRED_IDLE (and PAIRING without a synced session) mean "not logged in";
 * they are a logout when a session was connected before.
 */
const BY_STATE: Readonly<Record<string, SessionState>> = {
  [WAState.CONFLICT]: 'conflict',
  [WAState.TIMEOUT]: 'phone_unreachable',
  [WAState.TOS_BLOCK]: 'blocked',
  [WAState.SMB_TOS_BLOCK]: 'blocked',
  [WAState.PROXYBLOCK]: 'blocked',
  [WAState.DEPRECATED_VERSION]: 'unsupported',
};
const NOT_LOGGED_IN: ReadonlySet<string> = new Set([WAState.UNPAIRED, WAState.UNPAIRED_IDLE]);

export function sessionStateOf(socketState: unknown, hasSynced: boolean, wasConnected: boolean): SessionState {
  const state = typeof socketState === 'string' ? socketState : '';
  if (state === WAState.CONNECTED) return hasSynced ? 'connected' : 'loading';
  if (state === WAState.PAIRING) return hasSynced ? 'resuming' : 'qr';
  if (NOT_LOGGED_IN.has(state)) return wasConnected ? 'logged_out' : 'qr';
  return BY_STATE[state] ?? 'loading';
}
