function __diag_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __diag_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __diag_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __diag_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __diag_parse_tokens -S
    set -l unparsed_tokens (__diag_tokens -pc)
    switch $unparsed_tokens[1]
    case 'diag'
        __diag_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'cpu'
            __diag_parse_subcommand 1 'duration=' 'rate=' 'thread=' 'idle' 'native' 'mixed' 'sampler=' 'worker=' 'stack-size=' 'format=' 'push=' 'push-name=' 'o/output=' 'json' 'q/quiet' 'version' 'h/help'
        case 'stack'
            __diag_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
        case 'heap'
            __diag_parse_subcommand 1 'gc' 'count=' 'interval=' 'force' 'o/output=' 'json' 'q/quiet' 'version' 'h/help'
        case 'loop'
            __diag_parse_subcommand 1 'duration=' 'threshold=' 'o/output=' 'json' 'q/quiet' 'version' 'h/help'
        case 'probe'
            __diag_parse_subcommand 1 'fn=+' 'log=+' 'duration=' 'max-events=' 'log-rate=' 'json' 'o/output=' 'version' 'h/help'
        case 'diff'
            __diag_parse_subcommand -r 1 'top=' 'fail-if-growth=' 'write-suspects=' 'all' 'json' 'q/quiet' 'version' 'h/help'
        case 'summary'
            __diag_parse_subcommand 1 'top=' 'all' 'json' 'q/quiet' 'version' 'h/help'
        case 'core'
            __diag_parse_subcommand 1 'exe=' 'max-frames=' 'js-objects' 'js-object=' 'top=' 'json' 'q/quiet' 'version' 'h/help'
        case 'gcore'
            __diag_parse_subcommand 1 'o/output=' 'json' 'q/quiet' 'version' 'h/help'
        case 'ps'
            __diag_parse_subcommand 0 'json' 'q/quiet' 'version' 'h/help'
        case 'doctor'
            __diag_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
        case 'metrics'
            __diag_parse_subcommand 1 'duration=' 'listen=' 'json' 'version' 'h/help'
        case 'watch'
            __diag_parse_subcommand 1 'lag=' 'heap-growth=' 'cpu=' 'for=' 'o/output=' 'version' 'h/help'
        case 'top'
            __diag_parse_subcommand 1 'rate=' 'thread=' 'native' 'sampler=' 'per-thread' 'sort=' 'iterations=' 'duration=' 'version' 'h/help'
        case 'help'
            __diag_parse_subcommand -r 1 'version'
        end
    end
end

function __diag_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __diag_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __diag_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __diag_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__diag_tokens -p)
    if test -z "$(__diag_tokens -t)"
        set -l index (count (__diag_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'diag' -f
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'cpu' -d 'Sample a CPU profile of a running process.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'stack' -d 'Print the stack of every thread of a running process.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'heap' -d 'Take V8 heap snapshots of a running Node.js process.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'loop' -d 'Find what blocks a Node.js event loop, how late it runs, and what fills its threadpool.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'probe' -d 'Wrap functions and set logpoints in a running Node.js process, with each call tied to its HTTP request.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'diff' -d 'Compare heap snapshots (or two Node.js cores): growth per class and retained growth with retainer paths.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'summary' -d 'Summarize a .heapsnapshot or .cpuprofile file.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'core' -d 'Summarize a core dump: verdict, signal, faulting address, threads and stacks.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'gcore' -d 'Write a core file of a running process without killing it.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'ps' -d 'List the processes that can be diagnosed, with their runtime and inspector state.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'doctor' -d 'Check what would block diagnosing this machine or a process, with the fix for each problem.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'metrics' -d 'Prometheus metrics of a running process (prom-client\'s names; HTTP RED metrics for Node.js).'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'watch' -d 'Take CPU profiles or heap snapshots of a Node.js process when lag, CPU or heap growth pass a threshold.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'top' -d 'Show a running process\'s hottest functions, live.'
complete -c 'diag' -n '__diag_should_offer_completions_for_positional "diag" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" duration' -l 'duration' -d 'How long to sample (500ms, 10s, 2m). Ctrl-C ends early and still writes the file.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" rate' -l 'rate' -d 'Samples per second.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" thread' -l 'thread' -d 'Sample only this thread.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" idle' -l 'idle' -d 'Also sample threads that are not on a CPU, and show them as idle.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" native' -l 'native' -d 'Use the native sampler even on a Node.js target.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" mixed' -l 'mixed' -d 'Node.js: sample native stacks and name V8\'s JavaScript frames in them from the process\'s heap (function, script, line), one stack from main through libuv and V8 into JavaScript and its native callees. No inspector is opened.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" sampler' -l 'sampler' -d 'Native sampling method: perf (perf_event: the kernel samples from its timer interrupt, threads are never stopped), ptrace (stops each thread briefly; works without perf_event permission, and with --idle), or auto: perf when permitted and --idle is not given, ptrace otherwise.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" worker' -l 'worker' -d 'Profile this Node.js worker thread (an id from the list diag prints).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" stack-size' -l 'stack-size' -d 'Stack bytes copied per native sample, above the stack pointer (4KiB to 63KiB); deeper frames are read from the live process afterwards.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" format' -l 'format' -d 'Output format: cpuprofile, trace, collapsed, speedscope or pprof (gzipped profile.proto, .pb.gz).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" push' -l 'push' -d 'Also send the profile (as pprof) to a Pyroscope-compatible collector: POST URL/ingest. Plain http only; with --push the profile is written to a file only when -o is given.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" push-name' -l 'push-name' -d 'The application name for --push, with optional labels: app or app{env=prod} (default: the target\'s process name).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for standard output).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag cpu" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag stack" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag stack" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag stack" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag stack" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" gc' -l 'gc' -d 'Collect garbage before each snapshot.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" count' -l 'count' -d 'Number of snapshots to take, written as NAME-1, NAME-2, ...' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" interval' -l 'interval' -d 'Time between snapshots when --count is more than 1.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" force' -l 'force' -d 'Take the snapshot even when it may exceed the target\'s memory limit.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for standard output).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag heap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" duration' -l 'duration' -d 'How long to watch (10s, 1m). Ctrl-C ends early.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" threshold' -l 'threshold' -d 'The shortest time without returning to the event loop that counts as a block.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" o output' -s 'o' -l 'output' -d 'Also write the blocks as a Trace Event file (each block a slice on the main thread; DevTools\' Performance panel).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag loop" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe"' -l 'fn' -d 'An exported function to wrap: MODULE:EXPORT (MODULE is the end of a loaded file\'s path, or a builtin such as fs).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe"' -l 'log' -d 'A logpoint: evaluates EXPR each time line LINE of FILE runs, without pausing.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" duration' -l 'duration' -d 'How long to probe.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" max-events' -l 'max-events' -d 'Stop after this many events.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" log-rate' -l 'log-rate' -d 'Hits per second above which a logpoint is rate-limited (skipped hits are counted).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" json' -l 'json' -d 'Print one JSON object per event, then a summary line.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" o output' -s 'o' -l 'output' -d 'Also write a Trace Event file (one slice per call, one track per request).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" top' -l 'top' -d 'Rows per table.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" fail-if-growth' -l 'fail-if-growth' -d 'Exit with status 5 when retained growth exceeds this size (50MB).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" write-suspects' -l 'write-suspects' -d 'Write the suspects and their retainer paths as a small .heapsnapshot.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" all' -l 'all' -d 'List V8-internal growth (compiled code, object shapes, feedback and code caches) among the suspects.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" top' -l 'top' -d 'Rows per table.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" all' -l 'all' -d 'Heap snapshots: let V8 internals and objects held only by GC roots into the largest objects.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag summary" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" exe' -l 'exe' -d 'The executable that produced the core, when it is not where the core says.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" max-frames' -l 'max-frames' -d 'The most frames unwound per thread.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" js-objects' -l 'js-objects' -d 'Node.js cores: count the V8 heap\'s objects per constructor (every object in the heap pages; unswept garbage may be counted).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" js-object' -l 'js-object' -d 'Node.js cores: print the object at this address, its properties and the objects that point at it.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" top' -l 'top' -d 'Rows of --js-objects.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag core" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag gcore" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for standard output).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag gcore" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag gcore" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag gcore" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag gcore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag ps" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag ps" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag ps" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag ps" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag doctor" json' -l 'json' -d 'Print the summary as JSON on standard output.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag doctor" q quiet' -s 'q' -l 'quiet' -d 'No progress display and no summary text (errors are still printed).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag doctor" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag metrics" duration' -l 'duration' -d 'How long to collect before printing (one-shot mode).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag metrics" listen' -l 'listen' -d 'Serve /metrics on HOST:PORT until Ctrl-C or SIGTERM instead of printing once.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag metrics" json' -l 'json' -d 'Print the metrics as JSON instead of the Prometheus text format (one-shot mode).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag metrics" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag metrics" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" lag' -l 'lag' -d 'Event-loop lag p99 over 5 s that triggers a 10 s CPU profile.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" heap-growth' -l 'heap-growth' -d 'Growth of the used heap (since the start, then since the last trigger) that triggers two heap snapshots a minute apart.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" cpu' -l 'cpu' -d 'CPU use over 5 s, in percent of one core, that triggers a 10 s CPU profile.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" for' -l 'for' -d 'How long to watch.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" o output' -s 'o' -l 'output' -d 'Directory for the captures (files 0600).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" rate' -l 'rate' -d 'Samples per second.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" thread' -l 'thread' -d 'Sample only this thread (native).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" native' -l 'native' -d 'Use the native sampler even on a Node.js target.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" sampler' -l 'sampler' -d 'Native sampling method: auto, perf or ptrace (as for diag cpu).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" per-thread' -l 'per-thread' -d 'Start with one section per thread (the t key toggles it).'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" sort' -l 'sort' -d 'Sort by self or total share at first (the s key switches).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" iterations' -l 'iterations' -d 'End after this many frames (one a second).' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" duration' -l 'duration' -d 'End after this long (10s, 2m); without it and --iterations diag top runs until q or Ctrl-C.' -rfka ''
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" version' -l 'version' -d 'Show the version.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag top" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'diag' -n '__diag_should_offer_completions_for_flags_or_options "diag help" version' -l 'version' -d 'Show the version.'
