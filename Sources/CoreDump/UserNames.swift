import Glibc

/// User names for the uids a core records, from this machine's password database.
enum UserNames {
    /// The name of `uid` on this machine, or nil when it has none.
    static func name(uid: UInt32) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
