/// The dead-man's switch diag leaves in a target whose inspector it opened: a timer in the
/// target that closes the inspector when diag stops sending heartbeats (diag was killed,
/// e.g. with SIGKILL, and could not close it). The timer is unref'd (it never keeps the
/// process alive), ignores the time the main thread was frozen (a heap snapshot freezes it
/// for seconds: heartbeats queued meanwhile are handled just after), and removes itself.
/// Its state lives under a registered symbol, not an enumerable global name.
package enum DeadMansSwitch {
    /// How long without a heartbeat before the target closes the inspector by itself.
    static let timeoutMilliseconds = 10_000
    /// How often diag sends a heartbeat.
    static let heartbeatSeconds = 1.0
    /// How often the target checks.
    static let checkMilliseconds = 500

    static let key = "Symbol.for('diag.inspector-dead-mans-switch')"

    /// Installs the switch; evaluates to `"armed"`, or `"replaced"` when one from an earlier
    /// diag was still there (it is replaced).
    static let installExpression = """
    (() => {
      const key = \(key);
      const old = globalThis[key];
      if (old) clearInterval(old.timer);
      const now = performance.now();
      const state = { beat: now, tick: now };
      state.timer = setInterval(() => {
        const t = performance.now();
        if (t - state.tick > 4 * \(checkMilliseconds)) state.beat = t;
        state.tick = t;
        if (t - state.beat > \(timeoutMilliseconds)) {
          clearInterval(state.timer);
          delete globalThis[key];
          process._debugEnd();
        }
      }, \(checkMilliseconds));
      state.timer.unref();
      Object.defineProperty(globalThis, key, { value: state, configurable: true, enumerable: false, writable: true });
      return old ? 'replaced' : 'armed';
    })()
    """

    /// Tells the switch diag is alive.
    static let heartbeatExpression = "{ const s = globalThis[\(key)]; if (s) s.beat = performance.now(); }"

    /// Removes the switch; evaluates to true when it was there.
    package static let removeExpression = """
    (() => { const key = \(key); const s = globalThis[key]; if (!s) return false; clearInterval(s.timer); delete globalThis[key]; return true; })()
    """
}
