import NodeInspector

/// The agent diag installs in a Node.js target (one Runtime.evaluate over the TCP inspector):
/// it opens an in-process `inspector.Session` and serves it on a Unix socket in a fresh 0700
/// directory (mkdtemp in the target's tmpdir, owned by the target's user). The first line on
/// the socket must be the random token diag put in the expression; the socket file is removed
/// as soon as diag is connected, so nobody else can connect. When the connection closes, for
/// any reason (diag exited, failed, or was killed with SIGKILL), or nobody authenticates within
/// `connectTimeoutMilliseconds`, the agent disposes of itself: every install's onDispose
/// functions run, the session is disconnected, the directory is removed, its global is deleted,
/// and, when diag opened the TCP inspector, `process._debugEnd()` closes it.
///
/// The dead-man's switch of the TCP phase is removed with the inspector.
///
/// Framing: newline-delimited JSON. diag sends `{id, method, params}`; `method` is a CDP
/// method posted to the session, or `diag.install` / `diag.heapSnapshot`. The agent answers
/// `{id, result}` or `{id, error: {message}}`, forwards session events as `{method, params}`
/// and `agent.send(name, value)` as the event `{method: "diag.event", params: {name, value}}`.
enum ChannelAgent {
    /// The agent's state lives under this registered symbol, not an enumerable global name.
    static let key = "Symbol.for('diag.channel')"
    /// How long the agent waits for diag to connect before removing itself.
    static let connectTimeoutMilliseconds = 10_000
    /// Above this many queued bytes, agent.send drops events rather than grow the target's memory.
    static let sendQueueLimitBytes = 64 << 20

    /// The expression that installs the agent; evaluates to `{dir, socket, pid, replaced}`.
    static func installExpression(token: String, closeInspectorOnDispose: Bool) -> String {
        """
        (() => {
          const KEY = \(key);
          const gbm = process.getBuiltinModule || ((id) => process.mainModule.require(id));
          const fs = gbm('fs'), net = gbm('net'), path = gbm('path'), os = gbm('os'), inspector = gbm('inspector'), Module = gbm('module');
          const old = globalThis[KEY];
          if (old) old.dispose();
          const TOKEN = '\(token)';
          const CLOSE_INSPECTOR = \(closeInspectorOnDispose);
          const dir = fs.mkdtempSync(path.join(path.resolve(os.tmpdir()), 'diag-agent-'));
          fs.chmodSync(dir, 0o700);
          const socketPath = path.join(dir, 's');
          let session = null, client = null, server = null, disposed = false, heapFd = null;
          const installs = new Map();
          const mainFile = (process.mainModule && process.mainModule.filename)
            || (process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), '[eval]'));
          const targetRequire = Module.createRequire(mainFile);
          const write = (message) => {
            if (!client || client.destroyed) return;
            if (client.writableLength > \(sendQueueLimitBytes)) return;
            try { client.write(JSON.stringify(message) + '\\n'); } catch {}
          };
          const disposeInstall = (name) => {
            const entry = installs.get(name);
            if (!entry) return;
            installs.delete(name);
            for (const fn of entry.disposers.reverse()) { try { fn(); } catch {} }
          };
          const dispose = () => {
            if (disposed) return;
            disposed = true;
            clearTimeout(timer);
            for (const name of [...installs.keys()]) disposeInstall(name);
            if (heapFd !== null) { try { fs.closeSync(heapFd); } catch {} heapFd = null; }
            try { if (session) session.disconnect(); } catch {}
            try { server.close(); } catch {}
            try { if (client) client.destroy(); } catch {}
            try { fs.rmSync(dir, { recursive: true, force: true }); } catch {}
            delete globalThis[KEY];
            if (CLOSE_INSPECTOR) { try { \(DeadMansSwitch.removeExpression); process._debugEnd(); } catch {} }
          };
          const reply = (id, error, result) => write(error
            ? { id, error: { message: String((error && (error.stack || error.message)) || error) } }
            : { id, result: result === undefined ? {} : result });
          const install = async (id, name, source) => {
            disposeInstall(name);
            const entry = { disposers: [] };
            installs.set(name, entry);
            const agent = {
              onDispose: (fn) => { entry.disposers.push(fn); },
              send: (name, value) => write({ method: 'diag.event', params: { name, value: value === undefined ? null : value } }),
              require: (id) => { try { const m = gbm(id); if (m) return m; } catch {} return targetRequire(id); },
            };
            try {
              const fn = (0, eval)('(' + source + '\\n)');
              const value = await fn(agent);
              reply(id, null, { value: value === undefined ? null : value });
            } catch (error) {
              disposeInstall(name);
              reply(id, error);
            }
          };
          const heapSnapshot = (id, params) => {
            const file = path.join(dir, 'heap-' + id + '.heapsnapshot');
            try { heapFd = fs.openSync(file, 'wx', 0o600); } catch (error) { reply(id, error); return; }
            session.post('HeapProfiler.takeHeapSnapshot', params || {}, (error) => {
              try { fs.closeSync(heapFd); } catch {}
              heapFd = null;
              reply(id, error, { file });
            });
          };
          const handle = (message) => {
            const { id, method, params } = message;
            if (method === 'diag.install') return install(id, params.name, params.source);
            if (method === 'diag.heapSnapshot') return heapSnapshot(id, params);
            try {
              session.post(method, params || {}, (error, result) => reply(id, error, result));
            } catch (error) { reply(id, error); }
          };
          const serve = (socket) => {
            let buffer = '', authenticated = false;
            socket.setEncoding('utf8');
            socket.on('data', (data) => {
              buffer += data;
              let newline;
              while (!disposed && (newline = buffer.indexOf('\\n')) >= 0) {
                const line = buffer.slice(0, newline);
                buffer = buffer.slice(newline + 1);
                if (!authenticated) {
                  if (line !== TOKEN) { dispose(); return; }
                  authenticated = true;
                  clearTimeout(timer);
                  session = new inspector.Session();
                  session.connect();
                  session.on('inspectorNotification', (event) => {
                    if (event.method === 'HeapProfiler.addHeapSnapshotChunk' && heapFd !== null) {
                      fs.writeSync(heapFd, event.params.chunk);
                      return;
                    }
                    write({ method: event.method, params: event.params });
                  });
                  write({ ready: true, pid: process.pid });
                  continue;
                }
                let message;
                try { message = JSON.parse(line); } catch { dispose(); return; }
                handle(message);
              }
            });
            socket.on('close', dispose);
            socket.on('error', dispose);
          };
          server = net.createServer((socket) => {
            if (client) { socket.destroy(); return; }
            client = socket;
            socket.unref();
            server.close();
            try { fs.unlinkSync(socketPath); } catch {}
            serve(socket);
          });
          server.on('error', dispose);
          server.listen(socketPath);
          server.unref();
          const timer = setTimeout(dispose, \(connectTimeoutMilliseconds));
          timer.unref();
          Object.defineProperty(globalThis, KEY, { value: { dispose, dir }, configurable: true, enumerable: false, writable: true });
          return { dir, socket: socketPath, pid: process.pid, replaced: !!old };
        })()
        """
    }

    /// Removes an agent nobody connected to (diag failed before it could).
    static let disposeExpression = "{ const a = globalThis[\(key)]; if (a) a.dispose(); }"

    /// Evaluates to true when an agent (or its leftovers) is present in the target.
    static let presentExpression = "globalThis[\(key)] !== undefined"
}
