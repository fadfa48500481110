// Meta's module system as WhatsApp Web (>= 2.3000) exposes it:
//   window.__d(name, deps, factory, flags)  registers a module
//   window.require(name)                    returns its exports, running the
//                                           factory once, lazily; THROWS for
//                                           a name that is not registered
//   window.require('__debug').modulesMap    every registered module by name
//   window.importNamespace / importDefault  what wa-js uses instead of require
// Factories are called as (global, require, importDefault, importNamespace,
// requireLazy, module, exports), matching the minified (a,b,c,d,e,f,g) shape.
(function (global) {
  'use strict';

  var modulesMap = Object.create(null);
  var lazyWaiters = [];

  function define(name, deps, factory, flags) {
    if (modulesMap[name]) return; // first definition wins, like Meta's loader
    modulesMap[name] = {
      id: name,
      dependencies: deps || [],
      factory: factory,
      flags: flags || 0,
      exports: undefined,
      isInitialized: false,
      hasError: false,
    };
    flushLazy();
  }

  function require(name) {
    var mod = modulesMap[name];
    if (!mod) {
      // Meta's runtime also writes this into the page's console.
      var error = new Error('Requiring unknown module "' + name + '"');
      console.error(error.message);
      throw error;
    }
    if (mod.isInitialized) return mod.exports;
    var missing = mod.dependencies.filter(function (d) { return !modulesMap[d]; });
    if (missing.length) {
      throw new Error('Requiring module "' + name + '" with unresolved dependencies: ' + missing.join(', '));
    }
    var module = { exports: {} };
    mod.exports = module.exports;
    mod.isInitialized = true; // set before running: cycles see partial exports
    try {
      mod.factory(global, require, importDefault, importNamespace, requireLazy, module, module.exports);
    } catch (err) {
      mod.hasError = true;
      mod.isInitialized = false;
      throw err;
    }
    mod.exports = module.exports;
    return mod.exports;
  }

  function importNamespace(name) {
    return require(name);
  }

  function importDefault(name) {
    var e = require(name);
    return e && e.__esModule && 'default' in e ? e.default : e;
  }

  // requireLazy(['A', 'B'], cb): cb(A, B) once all are registered.
  function requireLazy(names, cb) {
    lazyWaiters.push({ names: names, cb: cb });
    flushLazy();
  }

  function flushLazy() {
    var ready = lazyWaiters.filter(function (w) {
      return w.names.every(function (n) { return modulesMap[n]; });
    });
    lazyWaiters = lazyWaiters.filter(function (w) { return ready.indexOf(w) < 0; });
    ready.forEach(function (w) {
      setTimeout(function () { w.cb.apply(null, w.names.map(require)); }, 0);
    });
  }

  define('__debug', [], function (g, r, iDef, iNs, rLazy, module) {
    module.exports = { modulesMap: modulesMap };
  }, 0);

  global.__d = define;
  global.require = require;
  global.requireLazy = requireLazy;
  global.importNamespace = importNamespace;
  global.importDefault = importDefault;
  // wa-js calls ErrorGuard.skipGuardGlobal(true) before importNamespace.
  global.ErrorGuard = global.ErrorGuard || { skipGuardGlobal: function () {} };
})(window);
