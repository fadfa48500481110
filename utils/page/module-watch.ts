import type { WaWindow } from './wa-modules';

/**
 * Tells when WhatsApp Web registers new modules, without polling: wraps Meta's
 * `__d` (as wa-js does), or traps its assignment when our script runs first.
 * `onDefine` is coalesced to at most one call per task, because a real build
 * registers thousands of modules in bursts.
 *
 * Another extension may have trapped `__d` before us (an accessor on
 * `window`): its getter and setter keep being called, so its own wrapper
 * still sees every module, and ours wraps what it hands out.
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
  const wrappers = new WeakMap<(...args: any[]) => unknown, (...args: any[]) => unknown>();
  const wrap = (define: unknown) => {
    if (typeof define !== 'function') return define;
    let wrapped = wrappers.get(define as (...args: any[]) => unknown);
    if (!wrapped) {
      wrapped = function (this: unknown, ...args: any[]) {
        const result = (define as (...a: any[]) => unknown).apply(this, args);
        notify();
        return result;
      };
      wrappers.set(define as (...args: any[]) => unknown, wrapped);
    }
    return wrapped;
  };

  const prior = Object.getOwnPropertyDescriptor(win, '__d');
  const priorAccessor = prior && (prior.get || prior.set) ? prior : undefined;
  let current: unknown = priorAccessor ? undefined : win.__d;
  const read = () => (priorAccessor ? priorAccessor.get?.call(win) : current);
  Object.defineProperty(win, '__d', {
    configurable: true,
    enumerable: true,
    get: () => wrap(read()),
    set(value) {
      if (priorAccessor) priorAccessor.set?.call(win, value);
      else current = value;
      notify();
    },
  });
  notify(); // modules may already be there when the script runs late

  return () => {
    active = false;
    // Hand WhatsApp (or the extension before us) its own __d back, untouched.
    if (priorAccessor) Object.defineProperty(win, '__d', priorAccessor);
    else Object.defineProperty(win, '__d', { configurable: true, enumerable: true, writable: true, value: current });
  };
}
