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
  /** `getChatIdentifier(chat)` (the accountLid on migrated accounts), `sendPresenceAvailable/Unavailable()`. */
  presenceChatAction: 'WAWebPresenceChatAction',
  /** `Lid1X1MigrationUtils.isLidMigrated()`: 1:1 presence is keyed by LID. */
  lidMigration: 'WAWebLid1X1MigrationGating',
  /** `Cmd.on('logout')`. */
  cmd: 'WAWebCmd',
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

interface ModuleRecord {
  dependencies?: unknown;
}

/**
 * The loader's table of registered modules (`require('__debug').modulesMap`,
 * which wa-js reads too). `__debug` is registered by the loader itself,
 * before `window.__d` exists, so asking for it never fails.
 */
function modulesMap(win: WaWindow): Record<string, ModuleRecord> | undefined {
  if (typeof win.__d !== 'function' || typeof win.require !== 'function') return undefined;
  try {
    return win.require('__debug')?.modulesMap ?? undefined;
  } catch {
    return undefined;
  }
}

/** A module and every module it depends on are registered (so requiring it cannot fail for want of one). */
function isRegistered(map: Record<string, ModuleRecord>, name: string, seen: Set<string>, known: ReadonlySet<string>): boolean {
  if (seen.has(name) || known.has(name)) return true;
  seen.add(name);
  const record = map[name];
  if (!record) return false;
  const deps = Array.isArray(record.dependencies) ? (record.dependencies as unknown[]) : [];
  return deps.every((dep) => typeof dep !== 'string' || isRegistered(map, dep, seen, known));
}

/**
 * Per window: exports already required (a registered module stays registered
 * and its exports object stays the same; WhatsApp changes properties on it,
 * which callers read at call time), and names known to be registered with all
 * their dependencies, so the loader's table is walked once per module.
 */
const lookups = new WeakMap<object, { exports: Map<string, any>; registered: Set<string> }>();

/**
 * A WhatsApp module's exports, or undefined while it (or one of its
 * dependencies) is not registered. Meta's `require` writes "Requiring unknown
 * module" into WhatsApp's console before it throws, so a name is looked up in
 * the loader's table first and only required once it is there.
 */
export function tryRequire(win: WaWindow, name: string): any {
  let cache = lookups.get(win);
  if (!cache) lookups.set(win, (cache = { exports: new Map(), registered: new Set() }));
  if (cache.exports.has(name)) return cache.exports.get(name);
  const map = modulesMap(win);
  const seen = new Set<string>();
  if (!map || !isRegistered(map, name, seen, cache.registered)) return undefined;
  // Every module visited was found registered with its dependencies.
  seen.forEach((visited) => cache.registered.add(visited));
  try {
    const exports = win.require!(name) ?? undefined;
    if (exports !== undefined) cache.exports.set(name, exports);
    return exports;
  } catch {
    return undefined;
  }
}
