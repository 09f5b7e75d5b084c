#compdef diag

__diag_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__diag_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __diag_complete "${completions[@]:0:-1}"
    fi
}

__diag_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_diag() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'cpu:Sample a CPU profile of a running process.'
            'stack:Print the stack of every thread of a running process.'
            'heap:Take V8 heap snapshots of a running Node.js process.'
            'loop:Find what blocks a Node.js event loop, how late it runs, and what fills its threadpool.'
            'probe:Wrap functions and set logpoints in a running Node.js process, with each call tied to its HTTP request.'
            'diff:Compare heap snapshots (or two Node.js cores): growth per class and retained growth with retainer paths.'
            'summary:Summarize a .heapsnapshot or .cpuprofile file.'
            'core:Summarize a core dump: verdict, signal, faulting address, threads and stacks.'
            'gcore:Write a core file of a running process without killing it.'
            'ps:List the processes that can be diagnosed, with their runtime and inspector state.'
            'doctor:Check what would block diagnosing this machine or a process, with the fix for each problem.'
            'metrics:Prometheus metrics of a running process (prom-client'\''s names; HTTP RED metrics for Node.js).'
            'watch:Take CPU profiles or heap snapshots of a Node.js process when lag, CPU or heap growth pass a threshold.'
            'top:Show a running process'\''s hottest functions, live.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        cpu|stack|heap|loop|probe|diff|summary|core|gcore|ps|doctor|metrics|watch|top|help)
            "_diag_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_diag_cpu() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--duration[How long to sample (500ms, 10s, 2m). Ctrl-C ends early and still writes the file.]:duration:'
        '--rate[Samples per second.]:rate:'
        '--thread[Sample only this thread.]:tid:'
        '--idle[Also sample threads that are not on a CPU, and show them as idle.]'
        '--native[Use the native sampler even on a Node.js target.]'
        '--mixed[Node.js\: sample native stacks and name V8'\''s JavaScript frames in them from the process'\''s heap (function, script, line), one stack from main through libuv and V8 into JavaScript and its native callees. No inspector is opened.]'
        '--sampler[Native sampling method\: perf (perf_event\: the kernel samples from its timer interrupt, threads are never stopped), ptrace (stops each thread briefly; works without perf_event permission, and with --idle), or auto\: perf when permitted and --idle is not given, ptrace otherwise.]:method:'
        '--worker[Profile this Node.js worker thread (an id from the list diag prints).]:id:'
        '--stack-size[Stack bytes copied per native sample, above the stack pointer (4KiB to 63KiB); deeper frames are read from the live process afterwards.]:size:'
        '--format[Output format\: cpuprofile, trace, collapsed, speedscope or pprof (gzipped profile.proto, .pb.gz).]:format:'
        '--push[Also send the profile (as pprof) to a Pyroscope-compatible collector\: POST URL/ingest. Plain http only; with --push the profile is written to a file only when -o is given.]:url:'
        '--push-name[The application name for --push, with optional labels\: app or app{env=prod} (default\: the target'\''s process name).]:name:'
        '(-o --output)'{-o,--output}'[Output file ('\''-'\'' for standard output).]:file:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_stack() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_heap() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--gc[Collect garbage before each snapshot.]'
        '--count[Number of snapshots to take, written as NAME-1, NAME-2, ...]:count:'
        '--interval[Time between snapshots when --count is more than 1.]:interval:'
        '--force[Take the snapshot even when it may exceed the target'\''s memory limit.]'
        '(-o --output)'{-o,--output}'[Output file ('\''-'\'' for standard output).]:file:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_loop() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--duration[How long to watch (10s, 1m). Ctrl-C ends early.]:duration:'
        '--threshold[The shortest time without returning to the event loop that counts as a block.]:threshold:'
        '(-o --output)'{-o,--output}'[Also write the blocks as a Trace Event file (each block a slice on the main thread; DevTools'\'' Performance panel).]:file:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_probe() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '*--fn[An exported function to wrap\: MODULE\:EXPORT (MODULE is the end of a loaded file'\''s path, or a builtin such as fs).]:module\:export:'
        '*--log[A logpoint\: evaluates EXPR each time line LINE of FILE runs, without pausing.]:file\:line\:expr:'
        '--duration[How long to probe.]:duration:'
        '--max-events[Stop after this many events.]:max-events:'
        '--log-rate[Hits per second above which a logpoint is rate-limited (skipped hits are counted).]:log-rate:'
        '--json[Print one JSON object per event, then a summary line.]'
        '(-o --output)'{-o,--output}'[Also write a Trace Event file (one slice per call, one track per request).]:file:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_diff() {
    local -i ret=1
    local -ar arg_specs=(
        '*:snapshot:'
        '--top[Rows per table.]:top:'
        '--fail-if-growth[Exit with status 5 when retained growth exceeds this size (50MB).]:size:'
        '--write-suspects[Write the suspects and their retainer paths as a small .heapsnapshot.]:file:'
        '--all[List V8-internal growth (compiled code, object shapes, feedback and code caches) among the suspects.]'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_summary() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--top[Rows per table.]:top:'
        '--all[Heap snapshots\: let V8 internals and objects held only by GC roots into the largest objects.]'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_core() {
    local -i ret=1
    local -ar arg_specs=(
        ':core:'
        '--exe[The executable that produced the core, when it is not where the core says.]:path:'
        '--max-frames[The most frames unwound per thread.]:n:'
        '--js-objects[Node.js cores\: count the V8 heap'\''s objects per constructor (every object in the heap pages; unswept garbage may be counted).]'
        '--js-object[Node.js cores\: print the object at this address, its properties and the objects that point at it.]:address:'
        '--top[Rows of --js-objects.]:top:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_gcore() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '(-o --output)'{-o,--output}'[Output file ('\''-'\'' for standard output).]:file:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_ps() {
    local -i ret=1
    local -ar arg_specs=(
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_doctor() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--json[Print the summary as JSON on standard output.]'
        '(-q --quiet)'{-q,--quiet}'[No progress display and no summary text (errors are still printed).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_metrics() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--duration[How long to collect before printing (one-shot mode).]:duration:'
        '--listen[Serve /metrics on HOST\:PORT until Ctrl-C or SIGTERM instead of printing once.]:host\:port:'
        '--json[Print the metrics as JSON instead of the Prometheus text format (one-shot mode).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_watch() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--lag[Event-loop lag p99 over 5 s that triggers a 10 s CPU profile.]:lag:'
        '--heap-growth[Growth of the used heap (since the start, then since the last trigger) that triggers two heap snapshots a minute apart.]:heap-growth:'
        '--cpu[CPU use over 5 s, in percent of one core, that triggers a 10 s CPU profile.]:percent:'
        '--for[How long to watch.]:for:'
        '(-o --output)'{-o,--output}'[Directory for the captures (files 0600).]:dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_top() {
    local -i ret=1
    local -ar arg_specs=(
        ':pid:'
        '--rate[Samples per second.]:rate:'
        '--thread[Sample only this thread (native).]:tid:'
        '--native[Use the native sampler even on a Node.js target.]'
        '--sampler[Native sampling method\: auto, perf or ptrace (as for diag cpu).]:method:'
        '--per-thread[Start with one section per thread (the t key toggles it).]'
        '--sort[Sort by self or total share at first (the s key switches).]:column:'
        '--iterations[End after this many frames (one a second).]:n:'
        '--duration[End after this long (10s, 2m); without it and --iterations diag top runs until q or Ctrl-C.]:duration:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_diag_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _diag ]]; then
    _diag "${@}"
else
    compdef _diag diag
fi
