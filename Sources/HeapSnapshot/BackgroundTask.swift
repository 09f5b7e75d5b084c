import Foundation

/// Runs one throwing job on a background thread; `wait()` blocks until it is done and
/// returns its result (or rethrows its error).
final class BackgroundTask<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<Value, Error>?
    private var finished = false

    init(_ job: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try job() }
            lock.lock()
            result = outcome
            lock.unlock()
            done.signal()
        }
    }

    /// The job's value; may be called more than once.
    func wait() throws -> Value {
        lock.lock()
        if !finished {
            lock.unlock()
            done.wait()
            lock.lock()
            finished = true
        }
        defer { lock.unlock() }
        guard let result else { throw CancellationError() }
        return try result.get()
    }

    /// Drops the stored value so its memory can be freed (after `wait()`).
    func clear() {
        lock.lock()
        result = nil
        lock.unlock()
    }
}
