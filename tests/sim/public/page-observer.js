// Test instrumentation, not part of the simulated WhatsApp Web: served as the
// page's first script only when the URL has `?observe=1`. It sees what any of
// WhatsApp's own scripts could see of an extension, from the earliest moment a
// page script runs: every message posted to the window, every element or
// attribute added to the document, the window's globals, the resources the
// page loaded, and which functions (built-in or WhatsApp's) were replaced.
(function () {
  'use strict';
  var toText = Function.prototype.toString;
  var messages = [];
  var mutations = [];
  window.addEventListener('message', function (event) {
    var data = event.data;
    messages.push({ keys: data && typeof data === 'object' ? Object.keys(data).sort() : [typeof data], ports: event.ports.length });
  }, true);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === 'attributes') {
        var el = record.target;
        if (el === document.documentElement || el === document.head || el === document.body) mutations.push('attr ' + el.tagName + ' ' + record.attributeName);
      }
      Array.prototype.forEach.call(record.addedNodes, function (node) {
        if (node.nodeType === 1 && /^(SCRIPT|LINK|IFRAME|STYLE|IMG|OBJECT|EMBED)$/.test(node.tagName)) {
          mutations.push('add ' + node.tagName + ' ' + (node.getAttribute('src') || node.getAttribute('href') || ''));
        }
      });
    });
  }).observe(document, { subtree: true, childList: true, attributes: true });

  var BUILT_INS = {
    'MessageChannel': function () { return MessageChannel; },
    'window.postMessage': function () { return window.postMessage; },
    'MessagePort.prototype.postMessage': function () { return MessagePort.prototype.postMessage; },
    'EventTarget.prototype.addEventListener': function () { return EventTarget.prototype.addEventListener; },
    'EventTarget.prototype.dispatchEvent': function () { return EventTarget.prototype.dispatchEvent; },
    'Date.now': function () { return Date.now; },
    'fetch': function () { return fetch; },
    'WebSocket': function () { return WebSocket; },
    'Worker': function () { return Worker; },
    'setTimeout': function () { return setTimeout; },
    'Object.defineProperty': function () { return Object.defineProperty; },
    'Function.prototype.toString': function () { return Function.prototype.toString; },
    'console.log': function () { return console.log; },
    'console.warn': function () { return console.warn; },
  };

  /** Each function WhatsApp's initialized modules export (one level deep), with its source text's length and head. */
  function moduleFunctions() {
    var map = window.require ? window.require('__debug').modulesMap : {};
    var out = {};
    Object.keys(map).forEach(function (name) {
      var mod = map[name];
      if (!mod.isInitialized || !mod.exports) return;
      var visit = function (object, path) {
        Object.keys(object).forEach(function (key) {
          var value;
          try { value = object[key]; } catch (error) { return; }
          if (typeof value === 'function') out[path + '.' + key] = toText.call(value).length + ':' + toText.call(value).slice(0, 40);
          else if (value && typeof value === 'object' && path === name) visit(value, path + '.' + key);
        });
      };
      visit(mod.exports, name);
    });
    return out;
  }

  window.__observed = function () {
    var d = Object.getOwnPropertyDescriptor(window, '__d');
    var natives = {};
    Object.keys(BUILT_INS).forEach(function (name) {
      natives[name] = /\[native code\]\s*\}$/.test(toText.call(BUILT_INS[name]()));
    });
    return {
      messages: messages.slice(),
      mutations: mutations.slice(),
      globals: Object.getOwnPropertyNames(window).filter(function (name) { return name !== '__observed'; }).sort(),
      rootAttributes: [document.documentElement, document.head, document.body].map(function (el) {
        return el.tagName + ':' + Array.prototype.map.call(el.attributes, function (a) { return a.name; }).sort().join(',');
      }),
      resources: performance.getEntriesByType('resource').map(function (entry) { return entry.name; }),
      scripts: Array.prototype.map.call(document.scripts, function (script) { return script.src; }),
      natives: natives,
      dModule: d ? (d.get || d.set ? 'accessor' : 'data') : 'absent',
      moduleFunctions: moduleFunctions(),
    };
  };
})();
