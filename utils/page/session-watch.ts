import type { SessionReport, SessionState } from '../protocol/page-messages';
import type { MeInfo } from '../presence/types';
import type { Capability } from './capabilities';
import { sessionStateOf } from './session-state';
import { WA, tryRequire, waVersion, type WaWindow } from './wa-modules';
import { widToString } from './wid';

function readMe(win: WaWindow, conn: any): MeInfo | undefined {
  const id = widToString(conn?.wid);
  if (!id) return undefined;
  const lid = widToString(tryRequire(win, WA.meUser)?.getMaybeMeLidUser?.());
  const pushName = typeof conn.pushname === 'string' ? conn.pushname : undefined;
  return { id, ...(pushName ? { pushName } : {}), ...(lid ? { lid } : {}) };
}

/** WhatsApp's state name as the protocol carries it (capitals and underscores only). */
const waStateName = (state: unknown) => (typeof state === 'string' && /^[A-Z_]{1,32}$/.test(state) ? state : undefined);

/**
 * Follows the session's life through WhatsApp's Socket model (the events
 * whatsapp-web.js listens to) and `WAWebCmd`'s logout: loading, QR, resuming,
 * connected, conflict, phone unreachable, blocked, unsupported build, logged
 * out. `onConnected` runs each time the session is connected and synced
 * (after a login, a reload or a resume).
 */
export function sessionWatch(win: WaWindow, report: (message: SessionReport) => void, onConnected: () => void): Capability {
  return {
    name: 'session',
    modules: [WA.socket, WA.conn],
    start(modules) {
      const socket = modules[WA.socket].Socket;
      const conn = modules[WA.conn].Conn;
      if (!socket?.on) throw new Error(`${WA.socket}.Socket has no events`);
      let last: SessionState | undefined;
      let wasConnected = false;

      const emit = (state: SessionState) => {
        if (state === last) return;
        last = state;
        if (state === 'connected') wasConnected = true;
        if (state === 'logged_out') wasConnected = false;
        const me = state === 'connected' ? readMe(win, conn) : undefined;
        const waState = waStateName(socket.state);
        report({ kind: 'session', state, ...(waState ? { waState } : {}), ...(me ? { me } : {}), version: waVersion(win) });
        if (state === 'connected') onConnected();
      };
      const update = () => emit(sessionStateOf(socket.state, socket.hasSynced === true, wasConnected));
      // The socket usually says UNPAIRED first; the logout command alone is enough.
      const onLogout = () => {
        if (last !== 'logged_out' && last !== 'qr') emit('logged_out');
      };
      const cmd = tryRequire(win, WA.cmd)?.Cmd;
      socket.on('change:state', update);
      socket.on('change:hasSynced', update);
      cmd?.on?.('logout', onLogout);
      update();
      return () => {
        socket.off?.('change:state', update);
        socket.off?.('change:hasSynced', update);
        cmd?.off?.('logout', onLogout);
      };
    },
  };
}
