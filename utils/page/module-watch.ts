import type { WaWindow } from './wa-modules';

/**
 * Tells when WhatsApp Web registers new modules, without polling: wraps Meta's
 * `__d` (as wa-js does), or traps its assignment when our script runs first.
 * `onDefine` is coalesced to at most one call per task, because a real build
 * registers thousands of modules in bursts.
 */
export function watchModuleDefinitions(win: WaWindow & object, onDefine: () => void): () => void {
  let active = true;
  let scheduled = false;
  const notify = () => {
    if (!active || scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      if (active) onDefine();
    }, 0);
  };
  const wrap = (define: (...args: any[]) => unknown) =>
    function (this: unknown, ...args: any[]) {
      const result = define.apply(this, args);
      notify();
      return result;
    };

  let current = win.__d;
  let wrapped = typeof current === 'function' ? wrap(current) : current;
  Object.defineProperty(win, '__d', {
    configurable: true,
    enumerable: true,
    get: () => wrapped,
    set(value) {
      current = value;
      wrapped = typeof value === 'function' ? wrap(value) : value;
      notify();
    },
  });
  notify(); // modules may already be there when the script runs late

  return () => {
    active = false;
    // Hand WhatsApp its own function back, untouched.
    Object.defineProperty(win, '__d', { configurable: true, enumerable: true, writable: true, value: current });
  };
}
