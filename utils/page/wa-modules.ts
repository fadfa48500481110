/**
 * The fragile part: WhatsApp Web module names we rely on, in one place, with
 * the build they were last checked against (whatsapp-web.js, wa-js and WAHA's
 * WEBJS engine use the same names). When WhatsApp renames one, this is the
 * file to change, and the hook reports "<module> missing on <version>".
 *
 * Checked against WhatsApp Web 2.3000.x (late 2026).
 */
export const WA = {
  /** Raw stanza decoder; wrapping `decodeStanza` sees every incoming node. */
  wap: 'WAWap',
  widFactory: 'WAWebWidFactory',
  /** LID ↔ phone: `getPhoneNumber(wid)`, `getCurrentLid(wid)`. */
  apiContact: 'WAWebApiContact',
  /** `Socket.state`, `Socket.hasSynced` and their change events. */
  socket: 'WAWebSocketModel',
  /** `Conn.wid`, `Conn.pushname`: the logged-in account. */
  conn: 'WAWebConnModel',
  meUser: 'WAWebUserPrefsMeUser',
  /** `PresenceCollection`: WhatsApp's Presence models (`change:chatstate.type`, `change:isOnline`). */
  presenceCollection: 'WAWebPresenceCollection',
  /** `subscribeUserPresence`, `subscribeGroupPresence`; before ~2.3000.1039447205 only `subscribePresence(wid, tcToken)`. */
  presenceBridge: 'WAWebContactPresenceBridge',
  /** `sendChatStateComposing/Recording/Paused(wid)`, what `WWebJS.sendChatstate` calls. */
  chatStateBridge: 'WAWebChatStateBridge',
  /** `Stream.markAvailable()`, `Stream.markUnavailable()`, `Stream.available` (pinned by wa-js). */
  stream: 'WAWebStreamModel',
  /** `Chat`, `Contact` collections (local, no network). */
  collections: 'WAWebCollections',
  /** `queryWidExists(wid)`: a usync query, only on an explicit subscribe to an unknown number. */
  queryExists: 'WAWebQueryExistsJob',
} as const;

export type WaModuleName = (typeof WA)[keyof typeof WA];

/** Meta's module loader as WhatsApp Web exposes it on `window`. */
export type MetaRequire = (name: string) => any;

export interface WaWindow {
  require?: MetaRequire;
  __d?: (...args: any[]) => unknown;
  Debug?: { VERSION?: string };
}

/** WhatsApp Web's version string, or 'unknown' before its bootloader ran. */
export function waVersion(win: WaWindow): string {
  return win.Debug?.VERSION ?? 'unknown';
}

/**
 * `window.require` throws for unknown names (and for modules whose
 * dependencies are not registered yet); this returns undefined instead.
 */
export function tryRequire(win: WaWindow, name: string): any {
  if (typeof win.require !== 'function') return undefined;
  try {
    return win.require(name) ?? undefined;
  } catch {
    return undefined;
  }
}
