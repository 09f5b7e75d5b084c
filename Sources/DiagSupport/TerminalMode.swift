import Glibc

/// A full-screen session on the terminal: the alternate screen, the cursor hidden, and the
/// keyboard in raw mode (keys arrive one by one, unechoed; Ctrl-C arrives as a key, byte 3).
/// `restore()` puts everything back; callers run it on every way out (`defer`), and SIGINT or
/// SIGTERM sent from elsewhere end the view through `StopRequest`, which reaches the same path.
public final class TerminalMode {
    private var saved = termios()
    private var active = false

    /// Enters the full-screen mode on standard input and output, both terminals.
    public init() throws {
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw DiagError(.failure, "cannot read the terminal's settings: \(String(cString: strerror(errno)))")
        }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else {
            throw DiagError(.failure, "cannot put the terminal in raw mode: \(String(cString: strerror(errno)))")
        }
        active = true
        Terminal.writeAll(STDOUT_FILENO, "\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    deinit { restore() }

    /// Leaves the alternate screen, shows the cursor and restores the terminal's settings. Idempotent.
    public func restore() {
        guard active else { return }
        active = false
        Terminal.writeAll(STDOUT_FILENO, "\u{1B}[?25h\u{1B}[?1049l")
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }

    /// The keys typed since the last call, without waiting.
    public func pendingKeys() -> [UInt8] {
        var keys: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            guard count > 0 else { break }
            keys += buffer[0..<count]
        }
        return keys
    }

    /// Draws `lines` from the top left, each cut to the width and cleared to its end, and
    /// clears what is below (no flicker: the screen is not erased first).
    public func draw(_ lines: [String]) {
        let size = TerminalMode.size()
        var text = "\u{1B}[H"
        for line in lines.prefix(size.rows) {
            text += String(line.prefix(size.columns)) + "\u{1B}[K\r\n"
        }
        Terminal.writeAll(STDOUT_FILENO, String(text.dropLast(2)) + "\u{1B}[J")
    }

    /// Rows and columns of the terminal on standard output (24 × 80 when unknown).
    public static func size() -> (rows: Int, columns: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return (24, 80) }
        return (Int(size.ws_row), Int(size.ws_col))
    }
}
