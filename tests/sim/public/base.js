// Backbone-style events, models and collections. WhatsApp Web's models derive
// from Backbone: attributes are read and written as plain properties (prototype
// accessors), every change fires 'change:<prop>' with (model, value) and then
// 'change', and a collection re-fires every event of its models, which is how
// PresenceCollection.on('change:chatstate.type', …) works.
// These are private helpers (not WhatsApp module names), so a build's `omit`
// list never removes them.
(function () {
  'use strict';

  // This build's module list: WhatsApp modules named in config.omit are never
  // registered (names move between real builds). Chunks register WhatsApp
  // modules through define(); private SimInternal* modules always exist.
  window.__d('SimInternalBuild', ['SimInternalConfig'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const omit = new Set(iNs('SimInternalConfig').omit || []);
    exports.define = (name, deps, factory, flags) => {
      if (!omit.has(name)) window.__d(name, deps, factory, flags);
    };
  }, 1);

  window.__d('SimInternalEvents', [], function (g, r, iDef, iNs, rLazy, module, exports) {
    class Events {
      on(names, cb, ctx) {
        if (typeof cb !== 'function') return this;
        this._events = this._events || Object.create(null);
        for (const name of String(names).split(/\s+/).filter(Boolean)) {
          (this._events[name] = this._events[name] || []).push({ cb, ctx });
        }
        return this;
      }
      once(names, cb, ctx) {
        const self = this;
        const wrapped = function () { self.off(names, wrapped); return cb.apply(this, arguments); };
        return this.on(names, wrapped, ctx);
      }
      off(names, cb, ctx) {
        if (!this._events) return this;
        const list = names ? String(names).split(/\s+/).filter(Boolean) : Object.keys(this._events);
        for (const name of list) {
          const kept = (this._events[name] || []).filter(
            (h) => (cb && h.cb !== cb) || (ctx && h.ctx !== ctx),
          );
          if (kept.length) this._events[name] = kept;
          else delete this._events[name];
        }
        return this;
      }
      trigger(name, ...args) {
        const events = this._events;
        if (!events) return this;
        for (const h of (events[name] || []).slice()) h.cb.apply(h.ctx || this, args);
        for (const h of (events.all || []).slice()) h.cb.apply(h.ctx || this, [name, ...args]);
        return this;
      }
      listenTo(other, names, cb) { other.on(names, cb, this); return this; }
      stopListening(other, names, cb) { if (other) other.off(names, cb, this); return this; }
    }
    exports.Events = Events;
  }, 1);

  window.__d('SimInternalModel', ['SimInternalEvents'], function (g, r, iDef, iNs, rLazy, module, exports) {
    const { Events } = iNs('SimInternalEvents');

    class Model extends Events {
      constructor(attrs) {
        super();
        this.attributes = {};
        this.set(attrs || {}, { silent: true });
      }
      get(key) { return this.attributes[key]; }
      set(key, value, opts) {
        let attrs = key;
        if (typeof key === 'string') attrs = { [key]: value };
        else opts = value;
        const changed = [];
        for (const [k, v] of Object.entries(attrs)) {
          if (this.attributes[k] === v) continue;
          this.attributes[k] = v;
          changed.push(k);
        }
        if (opts && opts.silent) return this;
        for (const k of changed) this.trigger('change:' + k, this, this.attributes[k]);
        if (changed.length) this.trigger('change', this);
        return this;
      }
      serialize() { return Object.assign({}, this.attributes); }
      toJSON() { return this.serialize(); }
    }

    // Declare attributes as prototype accessors, as WhatsApp's model classes do.
    function defineProps(Klass, names) {
      for (const name of names) {
        Object.defineProperty(Klass.prototype, name, {
          configurable: true,
          get() { return this.attributes[name]; },
          set(v) { this.set(name, v); },
        });
      }
    }

    function keyOf(x) {
      if (x == null) return undefined;
      if (typeof x === 'string') return x;
      if (x instanceof Model) return keyOf(x.id);
      if (typeof x._serialized === 'string') return x._serialized;
      return String(x);
    }

    class Collection extends Events {
      constructor(modelClass) {
        super();
        this.modelClass = modelClass || Model;
        this._byId = new Map();
        this._onModelEvent = this._onModelEvent.bind(this);
      }
      get models() { return Array.from(this._byId.values()); }
      get length() { return this._byId.size; }
      get(idOrModel) { return this._byId.get(keyOf(idOrModel)); }
      getModelsArray() { return this.models; }
      toArray() { return this.models; }
      forEach(fn) { this.models.forEach(fn); }
      map(fn) { return this.models.map(fn); }
      filter(fn) { return this.models.filter(fn); }
      some(fn) { return this.models.some(fn); }
      add(items, opts) {
        const list = Array.isArray(items) ? items : [items];
        const added = [];
        for (const item of list) {
          const model = item instanceof Model ? item : new this.modelClass(item);
          const key = keyOf(model.id);
          if (this._byId.has(key)) { added.push(this._byId.get(key)); continue; }
          this._byId.set(key, model);
          model.on('all', this._onModelEvent);
          model.collection = model.collection || this;
          if (!(opts && opts.silent)) this.trigger('add', model, this, opts || {});
          added.push(model);
        }
        return Array.isArray(items) ? added : added[0];
      }
      // get-or-add, WhatsApp's everyday way to obtain a model by id.
      gadd(attrs, opts) {
        const id = attrs && attrs.id !== undefined ? attrs.id : attrs;
        return this.get(id) || this.add(attrs && attrs.id !== undefined ? attrs : { id }, opts);
      }
      remove(idOrModel) {
        const model = this.get(idOrModel);
        if (!model) return undefined;
        this._byId.delete(keyOf(model.id));
        model.off('all', this._onModelEvent);
        this.trigger('remove', model, this, {});
        return model;
      }
      reset() { for (const m of this.models) this.remove(m); this.trigger('reset', this); }
      // In WhatsApp, find(id) fetches a model that may not be loaded yet.
      async find(id) { return this.gadd(id); }
      _onModelEvent(event, ...args) {
        if ((event === 'add' || event === 'remove') && args[1] !== this) return;
        this.trigger(event, ...args);
      }
    }

    exports.Model = Model;
    exports.Collection = Collection;
    exports.defineProps = defineProps;
    exports.keyOf = keyOf;
  }, 1);
})();

