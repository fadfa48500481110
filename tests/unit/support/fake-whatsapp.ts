/** A minimal Meta-style registry: `__d` registers, `require` throws on unknown names. */
export function fakeWhatsApp(version = '2.3000.1') {
  const modules = new Map<string, unknown>();
  const win: any = {
    Debug: { VERSION: version },
    require(name: string) {
      if (!modules.has(name)) throw new Error(`Requiring unknown module "${name}"`);
      return modules.get(name);
    },
  };
  win.__d = (name: string, _deps: string[], exports: unknown) => modules.set(name, exports);
  return { win, modules };
}

/** A Backbone-ish model with on/off/trigger. */
export function eventful<T extends object>(fields: T) {
  const handlers = new Map<string, Set<(...args: any[]) => void>>();
  return Object.assign(fields, {
    on: (event: string, fn: any) => handlers.set(event, (handlers.get(event) ?? new Set()).add(fn)),
    off: (event: string, fn: any) => handlers.get(event)?.delete(fn),
    trigger: (event: string, ...args: any[]) => handlers.get(event)?.forEach((fn) => fn(...args)),
  });
}

/** A Wid as WhatsApp's factory makes it: `_serialized`, `user`, `server`. */
export function wid(serialized: string) {
  const [user, server] = serialized.split('@');
  return { _serialized: serialized, user, server, toString: () => serialized };
}
