// The slice of Playwright's Page and Locator API that the end-to-end tests use
// (getByRole / getByLabel / getByText / locator, fill, click, waitFor…),
// implemented over a puppeteer page in Firefox. Playwright drives only its own
// patched Firefox, and puppeteer's aria selectors time out on extension pages
// in Firefox: the elements are found by accessible name in the page itself
// (resolve() below), and acted on with puppeteer's real input events (a click
// is a user gesture, as permissions.request() needs).

const DEFAULT_TIMEOUT = 10_000;

/** @typedef {{kind: 'role', role: string, name?: Matcher, exact?: boolean} | {kind: 'label', name: Matcher, exact?: boolean} | {kind: 'text', name: Matcher, exact?: boolean} | {kind: 'css', selector: string} | {kind: 'has', steps: Step[]}} Step */
/** @typedef {string | {source: string, flags: string}} Matcher */

/** @param {string | RegExp | undefined} value @returns {Matcher | undefined} */
const matcher = (value) => (value instanceof RegExp ? { source: value.source, flags: value.flags } : value);

/**
 * Runs in the page: the elements a chain of steps selects. A loose reading of
 * the ARIA roles and accessible names the extension's pages use (explicit
 * roles, the implicit roles of buttons, inputs, lists and options; names from
 * aria-labelledby, aria-label, <label>, text, title, placeholder).
 * @param {Step[]} steps
 */
function resolve(steps) {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (m, text, exact) => {
    if (m === undefined) return true;
    if (typeof m === 'object') return new RegExp(m.source, m.flags).test(text);
    return exact ? text === norm(m) : text.toLowerCase().includes(norm(m).toLowerCase());
  };
  const rendered = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const implicitRole = (el) => {
    const tag = el.localName;
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    if (tag === 'button' || (tag === 'input' && ['button', 'submit', 'reset'].includes(type))) return 'button';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input' && el.hasAttribute('list')) return 'combobox';
    if (tag === 'input' && ['text', 'url', 'email', 'password', 'search', 'tel'].includes(type)) return 'textbox';
    if (tag === 'input' && type === 'number') return 'spinbutton';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'ul' || tag === 'ol') return 'list';
    if (tag === 'li') return 'listitem';
    if (tag === 'option') return 'option';
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    return null;
  };
  const labelText = (el) => {
    const ids = el.getAttribute('aria-labelledby');
    if (ids) return norm(ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    if (el.hasAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
    const labels = el.labels ? [...el.labels] : [];
    if (labels.length) return norm(labels.map((l) => l.textContent).join(' '));
    return null;
  };
  const accessibleName = (el) => {
    const label = labelText(el);
    if (label !== null) return label;
    const role = el.getAttribute('role') ?? implicitRole(el);
    if (['button', 'link', 'option', 'listitem'].includes(role)) return norm(el.localName === 'input' ? el.value : el.textContent);
    return norm(el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '');
  };
  // As Playwright's role and text engines, a chained step may match its scope itself.
  const within = (scopes, pick) => {
    const found = new Set();
    for (const scope of scopes) for (const el of [...(scope === document ? [] : [scope]), ...scope.querySelectorAll('*')]) if (pick(el)) found.add(el);
    return [...found];
  };
  const apply = (scopes, step) => {
    switch (step.kind) {
      case 'css':
        return [...new Set(scopes.flatMap((s) => [...s.querySelectorAll(step.selector)]))];
      case 'role':
        return within(scopes, (el) => (el.getAttribute('role') ?? implicitRole(el)) === step.role && rendered(el) && matches(step.name, accessibleName(el), step.exact));
      case 'label':
        return within(scopes, (el) => ['input', 'select', 'textarea'].includes(el.localName) || el.hasAttribute('role')
          ? (() => { const l = labelText(el); return l !== null && matches(step.name, l, step.exact); })()
          : false);
      case 'text': {
        // The innermost elements whose text matches (as Playwright's getByText).
        const hit = (el) => !['script', 'style', 'head', 'html', 'body'].includes(el.localName) && matches(step.name, norm(el.textContent), step.exact);
        return within(scopes, (el) => hit(el) && ![...el.children].some(hit));
      }
      case 'has':
        return scopes.filter((scope) => step.steps.reduce((els, s) => apply(els, s), [scope]).length > 0);
    }
    return [];
  };
  return steps.reduce(apply, [document]);
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

class Locator {
  /** @param {FirefoxPage} page @param {Step[]} steps @param {string} description */
  constructor(page, steps, description) {
    this.page = page;
    this.steps = steps;
    this.description = description;
  }
  /** @param {Step} step @param {string} what */
  _then(step, what) { return new Locator(this.page, [...this.steps, step], `${this.description} >> ${what}`); }
  getByRole(role, options = {}) { return this._then({ kind: 'role', role, name: matcher(options.name), exact: options.exact }, `role=${role}[name=${options.name ?? ''}]`); }
  getByLabel(name, options = {}) { return this._then({ kind: 'label', name: matcher(name), exact: options.exact }, `label=${name}`); }
  getByText(name, options = {}) { return this._then({ kind: 'text', name: matcher(name), exact: options.exact }, `text=${name}`); }
  locator(selector) { return this._then({ kind: 'css', selector }, selector); }
  /** @param {{has: Locator}} options */
  filter(options) { return this._then({ kind: 'has', steps: options.has.steps }, `has(${options.has.description})`); }

  /** How many elements match now, and whether the first one is rendered. */
  async _state() {
    // A string, not a function with new Function inside: an extension page's CSP forbids eval.
    return this.page.raw.evaluate(`(() => {
      const els = (${resolve})(${JSON.stringify(this.steps)});
      return { count: els.length, visible: els.length > 0 && els[0].getClientRects().length > 0 && getComputedStyle(els[0]).visibility !== 'hidden' };
    })()`);
  }

  /** Polls until the condition holds; throws with what was awaited. */
  async waitFor(options = {}) {
    const state = options.state ?? 'visible';
    const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
    let last;
    for (;;) {
      last = await this._state();
      const ok = state === 'visible' ? last.visible : state === 'attached' ? last.count > 0 : state === 'detached' ? last.count === 0 : !last.visible;
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.description}: not ${state} within ${options.timeout ?? DEFAULT_TIMEOUT} ms (${last.count} match(es))`);
      await wait(50);
    }
  }

  async isVisible() { return (await this._state()).visible; }

  /** The one element the locator names, once it is rendered (strict, as Playwright). */
  async _element(timeout = DEFAULT_TIMEOUT) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const { count, visible } = await this._state();
      if (count > 1) throw new Error(`${this.description}: strict mode, ${count} elements match`);
      if (count === 1 && visible) break;
      if (Date.now() > deadline) throw new Error(`${this.description}: no visible element within ${timeout} ms`);
      await wait(50);
    }
    const handle = await this.page.raw.evaluateHandle(`(${resolve})(${JSON.stringify(this.steps)})[0]`);
    return /** @type {import('puppeteer-core').ElementHandle<HTMLElement>} */ (handle);
  }

  async click() { await (await this._element()).click(); }
  async press(key) { await (await this._element()).press(key); }
  async inputValue() { return (await this._element()).evaluate((el) => /** @type {HTMLInputElement} */ (el).value); }
  async getAttribute(name) { return (await this._element()).evaluate((el, n) => el.getAttribute(n), name); }

  /** As Playwright's fill: replaces the value and fires input and change. */
  async fill(value) {
    const el = await this._element();
    await el.focus();
    await el.evaluate((node, v) => {
      const input = /** @type {HTMLInputElement} */ (node);
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
      setter ? setter.call(input, v) : (input.value = v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }

  /** Selects options by value or label, as Playwright's selectOption. @param {string | string[]} values */
  async selectOption(values) {
    const wanted = [values].flat();
    const el = await this._element();
    const missing = await el.evaluate((node, want) => {
      const select = /** @type {HTMLSelectElement} */ (node);
      const hits = [...select.options].filter((o) => want.includes(o.value) || want.includes(o.label));
      for (const o of select.options) o.selected = hits.includes(o);
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return want.filter((w) => !hits.some((o) => o.value === w || o.label === w));
    }, wanted);
    if (missing.length) throw new Error(`${this.description}: no option ${missing.join(', ')}`);
  }
}

/** A puppeteer page with the Playwright methods the tests call. */
export class FirefoxPage {
  /** @param {import('puppeteer-core').Page} raw @param {{colorScheme: (scheme: string) => Promise<void>}} browserHooks */
  constructor(raw, browserHooks) {
    this.raw = raw;
    this._hooks = browserHooks;
  }
  get _root() { return new Locator(this, [], 'page'); }
  getByRole(role, options) { return this._root.getByRole(role, options); }
  getByLabel(name, options) { return this._root.getByLabel(name, options); }
  getByText(name, options) { return this._root.getByText(name, options); }
  locator(selector) { return this._root.locator(selector); }

  /** @param {Function | string} fn @param {unknown} [arg] */
  evaluate(fn, arg) { return this.raw.evaluate(/** @type {any} */ (fn), arg); }
  url() { return this.raw.url(); }
  async goto(url, options = {}) { return this.raw.goto(url, { timeout: options.timeout ?? 30_000 }); }
  async reload() { await this.raw.reload(); }
  async close() { await this.raw.close(); }
  /** @param {'console'} event @param {(message: {text: () => string}) => void} listener */
  on(event, listener) { this.raw.on(event, listener); return this; }
  off(event, listener) { this.raw.off(event, listener); return this; }
  async setViewportSize(size) { await this.raw.setViewport(size); }
  async screenshot(options = {}) { return Buffer.from(await this.raw.screenshot({ fullPage: options.fullPage })); }
  /** Firefox's BiDi has no media emulation: the browser's own colour-scheme override (a pref). */
  async emulateMedia({ colorScheme }) { await this._hooks.colorScheme(colorScheme); }
  async waitForURL(url, options = {}) {
    const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
    let href = '';
    while ((href = await this.raw.evaluate(() => location.href).catch(() => '')) !== url) {
      if (Date.now() > deadline) throw new Error(`the page did not reach ${url} within ${options.timeout ?? DEFAULT_TIMEOUT} ms (at ${href})`);
      await wait(50);
    }
  }
}
