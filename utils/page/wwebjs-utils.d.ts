// whatsapp-web.js ships its page utilities as a self-contained CommonJS file;
// we bundle that one file (never the package root, which pulls in puppeteer).
declare module 'whatsapp-web.js/src/util/Injected/Utils.js' {
  /** Defines `window.WWebJS` with helpers that call `window.require` lazily. */
  export function LoadUtils(): void;
}
