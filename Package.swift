// swift-tools-version:6.0
// Temporary manifest for the heap branch until the skeleton lands on main.
import PackageDescription

let package = Package(
    name: "diag",
    targets: [
        .target(name: "HeapSnapshot"),
        .testTarget(name: "HeapSnapshotTests", dependencies: ["HeapSnapshot"]),
    ]
)
