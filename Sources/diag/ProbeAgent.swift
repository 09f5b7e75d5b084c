import Foundation

/// The JavaScript `diag probe` installs in the target through the private channel: wrappers
/// for exported functions, the recorder logpoint conditions call, request correlation with
/// AsyncLocalStorage entered from the HTTP server's diagnostics channel, and a bounded event
/// queue sent in batches. Everything it adds is undone by its onDispose.
enum ProbeAgent {
    /// The global (a registered symbol, removed on dispose) that logpoint conditions reach.
    static let recorderKey = "Symbol.for('diag.probe')"

    /// The install source: `(agent) => ...` with the probe's configuration inlined as JSON.
    /// It returns `{installed: [names]}` or throws naming the module or export that cannot be probed.
    static func source(configurationJSON: String) -> String {
        "(agent) => (\(body))(agent, \(configurationJSON))"
    }

    /// The condition of a logpoint's breakpoint: records EXPR through the recorder (unless
    /// rate-limited) and is always false, so the target never pauses.
    static func condition(index: Int, expression: String) -> String {
        "(globalThis[\(recorderKey)] && globalThis[\(recorderKey)].gate(\(index)) && globalThis[\(recorderKey)].log(\(index), (\(expression))\n), false)"
    }

    /// Flushes the queued events now (used before diag closes the channel).
    static let flushExpression = "(globalThis[\(recorderKey)] ? globalThis[\(recorderKey)].flush() : null)"

    static let body = """
    (agent, config) => {
      const KEY = \(recorderKey);
      const util = agent.require('util');
      const dc = agent.require('diagnostics_channel');
      const { AsyncLocalStorage } = agent.require('async_hooks');
      const Module = agent.require('module');
      const { performance } = agent.require('perf_hooks');
      const isBuiltin = Module.isBuiltin || ((id) => Module.builtinModules.includes(id.replace(/^node:/, '')));
      const now = () => performance.timeOrigin + performance.now();
      const queue = [];
      let dropped = 0, hookErrors = 0, nextRequest = 1;
      const stats = { events: 0 };

      const preview = (value, depth) => {
        const type = typeof value;
        if (value === null || type === 'boolean') return value;
        if (type === 'string') return value.length > 200 ? value.slice(0, 200) : value;
        if (type === 'number') return Number.isFinite(value) ? value : { type: 'number', preview: String(value) };
        return { type: type === 'object' && Array.isArray(value) ? 'array' : type, preview: describe(value, depth || 0) };
      };
      const short = (value, depth) => {
        const type = typeof value;
        if (type === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
        if (value === null || type !== 'object' && type !== 'function') return String(value) + (type === 'bigint' ? 'n' : '');
        return depth >= 1 ? (Array.isArray(value) ? '[…]' : type === 'function' ? 'ƒ' : '{…}') : describe(value, depth + 1);
      };
      const describe = (value, depth) => {
        const type = typeof value;
        if (type === 'undefined') return 'undefined';
        if (type === 'symbol') return value.toString();
        if (type === 'bigint') return value.toString() + 'n';
        if (type === 'number') return String(value);
        if (type === 'function') return 'ƒ ' + (Object.getOwnPropertyDescriptor(value, 'name') || {}).value + '()';
        if (util.types.isProxy(value)) return 'Proxy';
        if (util.types.isNativeError(value) || value instanceof Error) {
          const own = (key) => { const d = Object.getOwnPropertyDescriptor(value, key); return d && 'value' in d ? d.value : undefined; };
          const proto = Object.getPrototypeOf(value);
          const ctor = proto && Object.getOwnPropertyDescriptor(proto, 'constructor');
          return ((ctor && ctor.value && ctor.value.name) || 'Error') + ': ' + String(own('message') || '').slice(0, 200);
        }
        if (util.types.isPromise(value)) return 'Promise';
        const keys = Reflect.ownKeys(value).filter((key) => typeof key === 'string');
        const parts = [];
        const isArray = Array.isArray(value);
        for (const key of keys) {
          if (isArray && key === 'length') continue;
          if (parts.length >= 5) { parts.push('…'); break; }
          const d = Object.getOwnPropertyDescriptor(value, key);
          if (!d || !d.enumerable) continue;
          const shown = 'value' in d ? short(d.value, depth) : '[Getter]';
          parts.push(isArray && /^\\d+$/.test(key) ? shown : key + ': ' + shown);
        }
        if (isArray) return 'Array(' + value.length + ') [' + parts.join(', ') + ']';
        const proto = Object.getPrototypeOf(value);
        const ctor = proto && Object.getOwnPropertyDescriptor(proto, 'constructor');
        const name = proto === null ? '[Object: null prototype]' : ctor && typeof ctor.value === 'function' && ctor.value.name !== 'Object' ? ctor.value.name + ' ' : '';
        return name + '{' + parts.join(', ') + '}';
      };

      const als = new AsyncLocalStorage();
      const push = (event) => {
        const request = als.getStore();
        if (request) event.request = request;
        if (queue.length >= config.queueLimit) { dropped++; return; }
        queue.push(event);
      };
      const flush = () => {
        while (queue.length) agent.send('probe.events', queue.splice(0, config.batchSize));
      };
      const safely = (fn) => { try { fn(); } catch { hookErrors++; } };

      const onRequest = (message) => safely(() => {
        const request = message.request;
        als.enterWith({ id: nextRequest++, method: String(request.method), url: String(request.url).slice(0, 200) });
      });

      const findModule = (name) => {
        if (isBuiltin(name)) return { exports: agent.require(name), label: name };
        const suffix = name.startsWith('/') ? name : '/' + name;
        const matches = Object.keys(Module._cache).filter((file) => file === name || file.endsWith(suffix));
        if (matches.length === 0) {
          throw new Error('module ' + name + ' is not loaded as a CommonJS module (no path in require.cache ends with ' + suffix
            + '); ES modules are not supported yet');
        }
        if (matches.length > 1) throw new Error('module ' + name + ' matches ' + matches.length + ' loaded files: ' + matches.slice(0, 4).join(', ') + '; give more of the path');
        return { exports: Module._cache[matches[0]].exports, label: matches[0] };
      };

      const planned = config.functions.map((spec, index) => {
        const found = findModule(spec.module);
        const holder = found.exports;
        if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function')) throw new Error(spec.module + ' exports no object');
        const descriptor = Object.getOwnPropertyDescriptor(holder, spec.export);
        if (!descriptor) throw new Error(spec.module + ' has no export ' + spec.export + ' (' + found.label + ')');
        if (!('value' in descriptor)) throw new Error(spec.module + ':' + spec.export + ' is an accessor (a getter), which cannot be wrapped');
        if (typeof descriptor.value !== 'function') throw new Error(spec.module + ':' + spec.export + ' is not a function (' + typeof descriptor.value + ')');
        if (!descriptor.writable && !descriptor.configurable) throw new Error(spec.module + ':' + spec.export + ' is read-only and cannot be wrapped');
        return { spec, index, holder, descriptor, original: descriptor.value };
      });

      const wrap = ({ spec, original }) => {
        const probe = spec.name;
        const record = (start, args, threw, result) => safely(() => {
          const end = now();
          if (queue.length >= config.queueLimit) { dropped++; return; }
          push({ probe, kind: 'call', args: Array.prototype.map.call(args, (a) => preview(a)).slice(0, 16), result: preview(result),
                 threw, durationMilliseconds: end - start, timeMilliseconds: start });
        });
        const wrapper = function (...args) {
          const start = now();
          let result;
          try {
            result = new.target ? Reflect.construct(original, args, new.target) : Reflect.apply(original, this, args);
          } catch (error) {
            record(start, args, true, error);
            throw error;
          }
          let pending = false;
          safely(() => {
            if (util.types.isPromise(result)) {
              pending = true;
              const store = als.getStore();
              result.then((value) => als.run(store, () => record(start, args, false, value)),
                          (error) => als.run(store, () => record(start, args, true, error)));
            }
          });
          if (!pending) record(start, args, false, result);
          return result;
        };
        for (const key of ['name', 'length']) {
          const d = Object.getOwnPropertyDescriptor(original, key);
          if (d) Object.defineProperty(wrapper, key, d);
        }
        Object.defineProperty(wrapper, 'prototype', { value: original.prototype, writable: true });
        Object.setPrototypeOf(wrapper, Object.getPrototypeOf(original));
        return wrapper;
      };

      const restorers = [];
      const restore = () => { for (const fn of restorers.splice(0).reverse()) { try { fn(); } catch {} } };
      agent.onDispose(restore);
      try {
        for (const plan of planned) {
          const wrapper = wrap(plan);
          const { holder, descriptor, original } = plan;
          Object.defineProperty(holder, plan.spec.export, { ...descriptor, value: wrapper });
          restorers.push(() => {
            if (Object.getOwnPropertyDescriptor(holder, plan.spec.export)?.value === wrapper) Object.defineProperty(holder, plan.spec.export, descriptor);
          });
        }
      } catch (error) { restore(); throw error; }

      const windows = config.logpoints.map(() => ({ second: 0, count: 0, skipped: 0 }));
      const recorder = {
        gate: (index) => {
          const w = windows[index];
          const second = Math.floor(now() / 1000);
          if (second !== w.second) { w.second = second; w.count = 0; }
          if (++w.count > config.logRate) { w.skipped++; return false; }
          return true;
        },
        log: (index, value) => { safely(() => push({ probe: config.logpoints[index], kind: 'log', value: preview(value), timeMilliseconds: now() })); return false; },
        flush: () => { flush(); return { dropped, hookErrors, skipped: windows.map((w) => w.skipped) }; },
      };
      Object.defineProperty(globalThis, KEY, { value: recorder, configurable: true, enumerable: false, writable: false });
      restorers.push(() => { delete globalThis[KEY]; });

      dc.subscribe('http.server.request.start', onRequest);
      restorers.push(() => { dc.unsubscribe('http.server.request.start', onRequest); als.disable(); });

      const timer = setInterval(() => safely(flush), config.flushMilliseconds);
      timer.unref();
      restorers.push(() => clearInterval(timer));
      return { installed: planned.map((plan) => plan.spec.name) };
    }
    """
}
