// The extension's own config, unminified: `node tests/bench/page-profile.mjs` profiles this
// build, so its table names the extension's functions as the sources do.
// Same code otherwise (V8 runs minified and readable builds alike).
import base from '../../wxt.config';

export default {
  ...base,
  vite: (env: Parameters<NonNullable<typeof base.vite>>[0]) => ({ ...(base.vite?.(env) ?? {}), build: { minify: false } }),
};
