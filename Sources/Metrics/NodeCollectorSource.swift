/// The JavaScript that `diag metrics` and `diag watch` install in a Node.js target through the
/// private channel (`NodeChannel.install`): prom-client's default Node.js collectors and HTTP
/// request-duration histograms fed by Node's built-in diagnostics_channel HTTP server channels.
///
/// Everything it adds is removed in `agent.onDispose`: the diagnostics_channel subscriptions,
/// the event-loop delay histogram (disabled), the gc PerformanceObserver (disconnected) and the
/// one non-enumerable global, `globalThis[Symbol.for('diag.metrics')]`, through which diag reads
/// a snapshot (`.collect({resetLag})`, one small message per scrape).
public enum NodeCollectorSource {
    /// The name the collector is installed under.
    public static let installName = "metrics"
    /// The expression diag evaluates (awaiting its promise) to read a snapshot.
    public static func collectExpression(resetLag: Bool) -> String {
        "globalThis[Symbol.for('diag.metrics')].collect({ resetLag: \(resetLag) })"
    }
    /// Evaluates to true while the collector is installed.
    public static let presentExpression = "globalThis[Symbol.for('diag.metrics')] !== undefined"

    /// prom-client's default buckets, used for http_request_duration_seconds.
    public static let httpBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// prom-client's nodejs_gc_duration_seconds buckets.
    public static let gcBuckets: [Double] = [0.001, 0.01, 0.1, 1, 2, 5]

    /// A function expression `(agent) => ({...})`, as `NodeChannel.install` expects.
    public static let source = """
    (agent) => {
      'use strict';
      const KEY = Symbol.for('diag.metrics');
      const perfHooks = agent.require('perf_hooks');
      const diagnosticsChannel = agent.require('diagnostics_channel');
      const v8 = agent.require('v8');
      const HTTP_BUCKETS = \(httpBuckets);
      const GC_BUCKETS = \(gcBuckets);

      // A histogram keyed by its label values; counts per bucket, the last one above every bound.
      const makeHistogram = (bounds) => {
        const series = new Map();
        return {
          bounds,
          observe(labels, value) {
            const key = JSON.stringify(labels);
            let entry = series.get(key);
            if (!entry) {
              entry = { labels, counts: new Array(bounds.length + 1).fill(0), sum: 0 };
              series.set(key, entry);
            }
            let index = 0;
            while (index < bounds.length && value > bounds[index]) index += 1;
            entry.counts[index] += 1;
            entry.sum += value;
          },
          snapshot() { return { bounds, series: [...series.values()] }; },
        };
      };

      // Event-loop delay, as prom-client samples it (resolution 10 ms), reset at each collect.
      const loopDelay = perfHooks.monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      agent.onDispose(() => loopDelay.disable());

      // Garbage collections by kind.
      const gcKinds = {};
      const constants = perfHooks.constants;
      gcKinds[constants.NODE_PERFORMANCE_GC_MAJOR] = 'major';
      gcKinds[constants.NODE_PERFORMANCE_GC_MINOR] = 'minor';
      gcKinds[constants.NODE_PERFORMANCE_GC_INCREMENTAL] = 'incremental';
      gcKinds[constants.NODE_PERFORMANCE_GC_WEAKCB] = 'weakcb';
      const gc = makeHistogram(GC_BUCKETS);
      const gcObserver = new perfHooks.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const kind = entry.detail ? gcKinds[entry.detail.kind] : gcKinds[entry.kind];
          gc.observe({ kind: kind || 'unknown' }, entry.duration / 1000);
        }
      });
      gcObserver.observe({ entryTypes: ['gc'] });
      agent.onDispose(() => gcObserver.disconnect());

      // HTTP server requests: start time by request, duration at the response's finish.
      const http = makeHistogram(HTTP_BUCKETS);
      const started = new WeakMap();
      const idLike = /^(?:\\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[^/]*\\d)[0-9a-f]{8,}|(?=[^/]*\\d)[A-Za-z0-9_-]{20,})$/i;
      const collapsedPath = (url) => {
        const path = String(url || '/').split(/[?#]/, 1)[0] || '/';
        return path.split('/').map((segment) => (idLike.test(segment) ? ':id' : segment)).join('/');
      };
      // The framework's route template when it left one on the request (express: req.route.path
      // under req.baseUrl), else the path with id-like segments collapsed.
      const routeOf = (request) => {
        const route = request.route;
        if (route && typeof route.path === 'string') return (request.baseUrl || '') + route.path;
        if (route && route.path instanceof RegExp) return (request.baseUrl || '') + String(route.path);
        return collapsedPath(request.originalUrl || request.url);
      };
      const onStart = (message) => { started.set(message.request, process.hrtime.bigint()); };
      const onFinish = (message) => {
        const { request, response } = message;
        const start = started.get(request);
        if (start === undefined) return;
        started.delete(request);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        http.observe({ method: request.method, route: routeOf(request), status_code: String(response.statusCode) }, seconds);
      };
      diagnosticsChannel.subscribe('http.server.request.start', onStart);
      diagnosticsChannel.subscribe('http.server.response.finish', onFinish);
      agent.onDispose(() => {
        diagnosticsChannel.unsubscribe('http.server.request.start', onStart);
        diagnosticsChannel.unsubscribe('http.server.response.finish', onFinish);
      });

      const countBy = (items, nameOf) => {
        const counts = {};
        for (const item of items) {
          const name = nameOf(item);
          if (name !== undefined) counts[name] = (counts[name] || 0) + 1;
        }
        return counts;
      };
      const constructorName = (item) => (item && item.constructor ? item.constructor.name : undefined);
      const nanosToSeconds = (value) => value / 1e9;

      const collect = async (options = {}) => {
        const lag = await new Promise((resolve) => {
          const start = process.hrtime.bigint();
          setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9));
        });
        const loop = {
          lag,
          min: nanosToSeconds(loopDelay.min), max: nanosToSeconds(loopDelay.max),
          mean: nanosToSeconds(loopDelay.mean), stddev: nanosToSeconds(loopDelay.stddev),
          p50: nanosToSeconds(loopDelay.percentile(50)), p90: nanosToSeconds(loopDelay.percentile(90)),
          p99: nanosToSeconds(loopDelay.percentile(99)), count: loopDelay.count,
        };
        if (options.resetLag !== false) loopDelay.reset();
        const handles = typeof process._getActiveHandles === 'function' ? process._getActiveHandles() : null;
        const requests = typeof process._getActiveRequests === 'function' ? process._getActiveRequests() : null;
        const resources = typeof process.getActiveResourcesInfo === 'function' ? process.getActiveResourcesInfo() : null;
        const memory = process.memoryUsage();
        return {
          loop,
          handles: handles && countBy(handles, constructorName), handlesTotal: handles && handles.length,
          requests: requests && countBy(requests, constructorName), requestsTotal: requests && requests.length,
          resources: resources && countBy(resources, (name) => name), resourcesTotal: resources && resources.length,
          heapTotal: memory.heapTotal, heapUsed: memory.heapUsed, external: memory.external,
          spaces: v8.getHeapSpaceStatistics().map((space) => ({
            space: space.space_name.substr(0, space.space_name.indexOf('_space')),
            total: space.space_size, used: space.space_used_size, available: space.space_available_size,
          })),
          version: process.version,
          gc: gc.snapshot(),
          http: http.snapshot(),
        };
      };
      Object.defineProperty(globalThis, KEY, { value: { collect }, configurable: true, enumerable: false, writable: false });
      agent.onDispose(() => { delete globalThis[KEY]; });
      return {
        nodeVersion: process.version,
        httpChannels: typeof diagnosticsChannel.hasSubscribers === 'function'
          && diagnosticsChannel.hasSubscribers('http.server.request.start'),
      };
    }
    """
}
