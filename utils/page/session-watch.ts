import type { SessionReport, SessionState } from '../protocol/page-messages';
import type { MeInfo } from '../presence/types';
import type { Capability } from './capabilities';
import { WA, tryRequire, waVersion, type WaWindow } from './wa-modules';
import { widToString } from './wid';

/** Socket states in which WhatsApp Web shows the QR code (not logged in). */
const QR_STATES = new Set(['UNPAIRED', 'UNPAIRED_IDLE', 'PAIRING']);

function readMe(win: WaWindow, conn: any): MeInfo | undefined {
  const id = widToString(conn?.wid);
  if (!id) return undefined;
  const lid = widToString(tryRequire(win, WA.meUser)?.getMaybeMeLidUser?.());
  const pushName = typeof conn.pushname === 'string' ? conn.pushname : undefined;
  return { id, ...(pushName ? { pushName } : {}), ...(lid ? { lid } : {}) };
}

/**
 * Follows the session's life through WhatsApp's Socket model (the events
 * whatsapp-web.js listens to): QR shown, connected and synced, logged out.
 * `onSynced` runs once per sync, when the app's stores are fully loaded.
 */
export function sessionWatch(
  win: WaWindow,
  report: (message: SessionReport) => void,
  onSynced: () => void,
): Capability {
  return {
    name: 'session',
    modules: [WA.socket, WA.conn],
    start(modules) {
      const socket = modules[WA.socket].Socket;
      const conn = modules[WA.conn].Conn;
      if (!socket?.on) throw new Error(`${WA.socket}.Socket has no events`);
      let last: SessionState | undefined;

      const update = () => {
        const state: SessionState =
          socket.state === 'CONNECTED' && socket.hasSynced
            ? 'connected'
            : QR_STATES.has(socket.state)
              ? last === 'connected' ? 'logged_out' : 'qr'
              : 'loading';
        if (state === last) return;
        last = state;
        const me = state === 'connected' ? readMe(win, conn) : undefined;
        report({ kind: 'session', state, ...(me ? { me } : {}), version: waVersion(win) });
        if (state === 'connected') onSynced();
      };
      socket.on('change:state', update);
      socket.on('change:hasSynced', update);
      update();
      return () => {
        socket.off?.('change:state', update);
        socket.off?.('change:hasSynced', update);
      };
    },
  };
}
