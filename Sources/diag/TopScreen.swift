import DiagSupport
import Profiles

/// The running `diag top` view: the sliding window of counts, the keys (full-screen mode) or
/// plain frames (standard output not a terminal), and when the view should end.
final class TopScreen {
    /// How many seconds of windows the shares cover.
    static let windowSeconds = 5.0

    var view: TopView
    var header: TopView.Header
    private(set) var quitRequested = false
    private let terminal: TerminalMode?
    private var counts = SlidingWindowCounts(span: TopScreen.windowSeconds)
    private var shown: (all: SlidingWindowCounts.Section, threads: [SlidingWindowCounts.Section])
    private var framesShown = 0
    private let iterations: Int?
    private let deadline: Double?

    /// Full-screen when `interactive`, else plain text frames; ends after `iterations` frames
    /// or `duration` seconds when given.
    init(interactive: Bool, view: TopView, header: TopView.Header, iterations: Int?, duration: Double?) throws {
        terminal = interactive ? try TerminalMode() : nil
        self.view = view
        self.header = header
        self.iterations = iterations
        deadline = duration.map { MonotonicClock.seconds() + $0 }
        shown = counts.sections()
        if interactive { redraw() }
    }

    /// False once the user quit, a stop was requested, or the frames or time asked for are done.
    var wantsMore: Bool {
        if quitRequested || StopRequest.isRequested { return false }
        if let iterations, framesShown >= iterations { return false }
        if let deadline, MonotonicClock.seconds() >= deadline { return false }
        return true
    }

    /// Handles the keys typed meanwhile (call it often): q or Ctrl-C quits (the terminal is
    /// restored at once), t toggles per-thread sections, s the sort column, space pauses.
    func handleKeys() {
        guard let terminal, !quitRequested else { return }
        for key in terminal.pendingKeys() {
            switch key {
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3:
                quitRequested = true
                terminal.restore()
                return
            case UInt8(ascii: "t"): view.perThread.toggle()
            case UInt8(ascii: "s"): view.sortByTotal.toggle()
            case UInt8(ascii: " "): view.paused.toggle()
            default: continue
            }
            if !view.paused { shown = counts.sections() }
            redraw()
        }
    }

    /// Adds a sampling window and shows the new frame (unless paused).
    func add(_ window: TopWindow) {
        counts.add(window)
        framesShown += 1
        guard !view.paused, !quitRequested else { return }
        shown = counts.sections()
        if terminal == nil {
            let sectionCount = view.perThread ? max(1, shown.threads.count) : 1
            let lines = view.render(shown, header: header, windowSeconds: TopScreen.windowSeconds, rows: 8 + 18 * sectionCount)
            Terminal.printOut(lines.joined(separator: "\n") + "\n\n")
        } else {
            redraw()
        }
    }

    /// Leaves full-screen mode (also done when the screen is released).
    func close() {
        terminal?.restore()
    }

    private func redraw() {
        guard let terminal else { return }
        terminal.draw(view.render(shown, header: header, windowSeconds: TopScreen.windowSeconds, rows: TerminalMode.size().rows))
    }
}
