import CSystemShim
import DiagSupport
import Glibc

/// One thread of another process under ptrace, attached with PTRACE_SEIZE (which does not
/// stop it). It is detached on `detach()` and, as a last resort, when the object goes away:
/// diag never leaves a thread traced.
public final class TracedThread {
    public let tid: Int32
    public private(set) var isAttached = true
    /// A signal the thread received while diag held it stopped, to deliver on resume or detach.
    private var pendingSignal: Int32 = 0
    /// True while the thread is in a ptrace-stop that diag caused.
    public private(set) var isStopped = false
    /// True when the thread stopped for a signal before diag's PTRACE_INTERRUPT took effect:
    /// the interrupt then still stops it once it runs again, and `resume()` must end that stop.
    private var interruptStillPending = false
    /// True when the last stop `waitForStop()` saw was a signal-delivery stop.
    private var lastStopWasSignalDelivery = false

    /// Seizes thread `tid`. Fails with a precise error when the kernel refuses.
    public init(seizing tid: Int32) throws {
        guard diag_ptrace(Request.seize, tid, nil, nil) == 0 else {
            let code = errno
            throw PtraceDiagnosis.explain(errno: code, tid: tid)
        }
        self.tid = tid
    }

    deinit {
        detach()
    }

    /// Stops the thread (PTRACE_INTERRUPT) and waits until it is in ptrace-stop.
    /// Returns false when the thread exited instead.
    @discardableResult
    public func interruptAndWait() throws -> Bool {
        guard diag_ptrace(Request.interrupt, tid, nil, nil) == 0 else {
            if errno == ESRCH { isAttached = false; return false }
            throw DiagError.system("cannot interrupt thread \(tid)", errno: errno)
        }
        let stopped = try waitForStop()
        interruptStillPending = stopped && lastStopWasSignalDelivery
        return stopped
    }

    /// Waits for the next ptrace-stop of the thread; a signal-delivery stop is remembered
    /// so that the signal is delivered when the thread runs again. Returns false when the
    /// thread exited.
    public func waitForStop() throws -> Bool {
        var status: Int32 = 0
        while true {
            let result = waitpid(tid, &status, Wait.all)
            if result < 0 {
                if errno == EINTR { continue }
                if errno == ECHILD { isAttached = false; return false }
                throw DiagError.system("cannot wait for thread \(tid)", errno: errno)
            }
            let low = status & 0x7f
            if low == 0 || (low != 0x7f) {  // exited or killed
                isAttached = false
                return false
            }
            let signal = (status >> 8) & 0xff
            let event = status >> 16
            if signal != SIGTRAP || event == 0 {
                // A signal-delivery stop (or a group stop): keep the signal for later.
                if signal != SIGTRAP && signal != SIGSTOP { pendingSignal = signal }
            }
            lastStopWasSignalDelivery = event == 0
            isStopped = true
            return true
        }
    }

    /// The thread's general-purpose registers; the thread must be stopped.
    public func registers() throws -> user_regs_struct {
        var registers = user_regs_struct()
        guard diag_ptrace(Request.getRegisters, tid, nil, &registers) == 0 else {
            throw DiagError.system("cannot read the registers of thread \(tid)", errno: errno)
        }
        return registers
    }

    /// Lets a stopped thread run again, delivering any signal it received meanwhile.
    public func resume() throws {
        guard isStopped else { return }
        let signal = pendingSignal
        pendingSignal = 0
        isStopped = false
        guard diag_ptrace(Request.cont, tid, nil, UnsafeMutableRawPointer(bitPattern: Int(signal))) == 0 else {
            if errno == ESRCH { isAttached = false; return }
            throw DiagError.system("cannot resume thread \(tid)", errno: errno)
        }
        if interruptStillPending { endPendingInterrupt() }
    }

    /// Waits for the stop that a still-pending PTRACE_INTERRUPT causes after a signal was
    /// delivered, and lets the thread run on; further signals on the way are delivered too.
    private func endPendingInterrupt() {
        interruptStillPending = false
        var status: Int32 = 0
        while true {
            if waitpid(tid, &status, Wait.all) < 0 {
                if errno == EINTR { continue }
                isAttached = false
                return
            }
            guard status & 0x7f == 0x7f else { isAttached = false; return }  // exited
            let signal = (status >> 8) & 0xff
            let event = status >> 16
            if event == 0 {
                // Another signal arrived first: deliver it and keep waiting for the interrupt.
                _ = diag_ptrace(Request.cont, tid, nil, UnsafeMutableRawPointer(bitPattern: Int(signal)))
                continue
            }
            if signal == SIGTRAP {
                _ = diag_ptrace(Request.cont, tid, nil, nil)
            } else {
                // Job control stopped the thread meanwhile: leave it stopped, as it should be.
                _ = diag_ptrace(Request.listen, tid, nil, nil)
            }
            return
        }
    }

    /// Detaches; a stopped thread runs again. Safe to call more than once.
    public func detach() {
        guard isAttached else { return }
        isAttached = false
        if !isStopped {
            // PTRACE_DETACH needs a stopped tracee: stop it briefly first.
            if diag_ptrace(Request.interrupt, tid, nil, nil) != 0 { return }
            var status: Int32 = 0
            while waitpid(tid, &status, Wait.all) < 0 && errno == EINTR {}
            let low = status & 0x7f
            if low != 0x7f { return }
            let signal = (status >> 8) & 0xff
            if signal != SIGTRAP && signal != SIGSTOP { pendingSignal = signal }
        }
        isStopped = false
        _ = diag_ptrace(Request.detach, tid, nil, UnsafeMutableRawPointer(bitPattern: Int(pendingSignal)))
    }

    /// ptrace request numbers from <sys/ptrace.h>.
    enum Request {
        static let cont: Int32 = 7
        static let getRegisters: Int32 = 12
        static let detach: Int32 = 17
        static let seize: Int32 = 0x4206
        static let interrupt: Int32 = 0x4207
        static let listen: Int32 = 0x4208
    }

    enum Wait {
        /// __WALL: wait for threads as well as processes.
        static let all: Int32 = 0x4000_0000
    }
}
