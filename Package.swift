// swift-tools-version:6.0
import PackageDescription

/// diag: attach to a running Linux process and profile it, dump its stacks, snapshot its
/// V8 heap, or summarize its core dumps. One library module per concern, a thin executable.
let package = Package(
    name: "diag",
    products: [
        .executable(name: "diag", targets: ["diag"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // pprof profiles (profile.proto); the generated code is committed (proto/README.md).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // MARK: System libraries and C shims
        .systemLibrary(
            name: "CLibdw",
            pkgConfig: "libdw",
            providers: [.apt(["libdw-dev"])]
        ),
        .systemLibrary(
            name: "CLibunwind",
            pkgConfig: "libunwind-ptrace",
            providers: [.apt(["libunwind-dev"])]
        ),
        .target(
            name: "CUnwindShim",
            dependencies: ["CLibunwind"],
            // Debian's libunwind-ptrace uses liblzma without declaring it.
            linkerSettings: [.linkedLibrary("lzma")]
        ),
        .target(
            name: "CDwflShim",
            dependencies: ["CLibdw"],
            // __cxa_demangle, for C++ and Rust symbol names; zlib (libdw's own dependency) to
            // inflate compressed debug sections into diag's debug-info cache.
            linkerSettings: [.linkedLibrary("stdc++"), .linkedLibrary("z")]
        ),
        .target(name: "CSystemShim"),
        .target(name: "CInspectorShim"),
        .target(name: "CGzipShim", linkerSettings: [.linkedLibrary("z")]),

        // MARK: Library modules
        .target(name: "DiagSupport", dependencies: ["CSystemShim"]),
        .target(name: "TargetProcess", dependencies: ["DiagSupport", "Symbols"]),
        .target(name: "Symbols", dependencies: ["CLibdw", "CDwflShim"]),
        .target(name: "Profiles", dependencies: ["DiagSupport", "CGzipShim", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "NativeProfiler", dependencies: ["CUnwindShim", "CSystemShim", "DiagSupport", "TargetProcess", "Symbols", "Profiles"]),
        .target(name: "NodeInspector", dependencies: ["DiagSupport", "TargetProcess", "Profiles", "CInspectorShim"]),
        .target(name: "Metrics", dependencies: ["DiagSupport", "TargetProcess"]),
        .target(name: "NodeChannel", dependencies: ["DiagSupport", "TargetProcess", "Profiles", "NodeInspector"]),
        .target(name: "CoreDump", dependencies: ["DiagSupport", "TargetProcess", "Symbols", "CLibdw", "CDwflShim", "CSystemShim", "NativeProfiler"]),
        .target(name: "Inventory", dependencies: ["DiagSupport", "TargetProcess", "Symbols", "NodeInspector"]),
        .target(name: "HeapSnapshot", dependencies: ["DiagSupport", "CSystemShim"]),
        .target(name: "EventLoop", dependencies: ["DiagSupport", "Profiles", "NativeProfiler", "TargetProcess", "Symbols", "NodeChannel"]),

        // MARK: The executable
        .executableTarget(
            name: "diag",
            dependencies: [
                "DiagSupport", "TargetProcess", "Symbols", "Profiles", "NativeProfiler", "NodeInspector", "NodeChannel", "Metrics", "Inventory", "CoreDump", "HeapSnapshot", "EventLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (scripts/bench-native, scripts/bench-pprof)
        .executableTarget(name: "NativeProfilerBenchmark", dependencies: ["NativeProfiler", "Profiles", "Symbols", "TargetProcess", "CUnwindShim"]),
        .executableTarget(name: "ProfileFormatBenchmark", dependencies: ["Profiles", "DiagSupport"]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["DiagSupport", "TargetProcess", "NodeInspector"], path: "Tests/TestSupport"),
        .testTarget(name: "DiagSupportTests", dependencies: ["DiagSupport"]),
        .testTarget(name: "TargetProcessTests", dependencies: ["TargetProcess", "TestSupport"]),
        // elfutils 0.188 finds line information through .debug_aranges, which clang omits by default.
        .target(name: "KnownFunction", path: "Tests/KnownFunction", cSettings: [.unsafeFlags(["-gdwarf-aranges"])]),
        .testTarget(name: "SymbolsTests", dependencies: ["Symbols", "CUnwindShim", "KnownFunction", "TestSupport"]),
        .testTarget(name: "InventoryTests", dependencies: ["Inventory", "TestSupport"]),
        .testTarget(name: "CoreDumpTests", dependencies: ["CoreDump", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles", "TestSupport"]),
        .testTarget(name: "NativeProfilerTests", dependencies: ["NativeProfiler", "Profiles", "TargetProcess", "TestSupport"]),
        .testTarget(name: "HeapSnapshotTests", dependencies: ["HeapSnapshot", "TestSupport"]),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "Profiles", "TargetProcess", "DiagSupport", "NodeChannel", "TestSupport"]),
        .testTarget(name: "NodeInspectorTests", dependencies: ["NodeInspector", "TargetProcess", "Profiles", "TestSupport"]),
        .testTarget(name: "ProbeTests", dependencies: ["NodeChannel", "NodeInspector", "TestSupport"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "NodeChannel", "NodeInspector", "TestSupport"]),
        .testTarget(name: "NodeChannelTests", dependencies: ["NodeChannel", "NodeInspector", "DiagSupport", "Profiles", "TargetProcess", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
