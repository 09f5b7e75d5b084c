/// Recovers the JavaScript frames of a Node.js thread from its core with the `v8dbg_*`
/// postmortem constants node exports.
enum V8FrameWalker {
    struct Result {
        var frames: [CoreSummary.Frame]
        var facts: CoreSummary.NodeFacts
    }

    static func walk(session: CoreSession, memory: CoreMemory, thread: ThreadStatus?) -> Result {
        Result(frames: [], facts: CoreSummary.NodeFacts(v8Version: nil, javaScriptFrames: "none", note: "not decoded"))
    }
}
