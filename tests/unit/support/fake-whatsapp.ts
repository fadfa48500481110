/**
 * A minimal Meta-style registry: `__d` registers, `require` throws on unknown
 * names (and, like Meta's loader, writes the error where WhatsApp's console
 * would: `probes`), `require('__debug').modulesMap` lists what is registered.
 */
export function fakeWhatsApp(version = '2.3000.1') {
  const modules = new Map<string, unknown>();
  const modulesMap: Record<string, { dependencies: string[] }> = {};
  const probes: string[] = [];
  const win: any = {
    Debug: { VERSION: version },
    require(name: string) {
      if (!modules.has(name)) {
        probes.push(name);
        throw new Error(`Requiring unknown module "${name}"`);
      }
      return modules.get(name);
    },
  };
  win.__d = (name: string, deps: string[], exports: unknown) => {
    modulesMap[name] = { dependencies: deps };
    modules.set(name, exports);
  };
  win.__d('__debug', [], { modulesMap });
  return { win, modules, probes };
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
