import CUnwindShim

/// Unwinds a sample (`snapshot` and its stack copy `stack`) with `unwinder` into
/// `addresses`, innermost first, and each frame's rbp into `framePointers` unless that is
/// empty (it is sized like `addresses` when JavaScript frames are named). Returns the number
/// of frames or a negative libunwind error.
func unwindSnapshot(_ unwinder: OpaquePointer, _ snapshot: inout diag_thread_snapshot, stack: [UInt8],
                    addresses: inout [UInt64], framePointers: inout [UInt64]) -> Int32 {
    let recordsFramePointers = !framePointers.isEmpty
    return stack.withUnsafeBufferPointer { stackBytes in
        addresses.withUnsafeMutableBufferPointer { buffer in
            framePointers.withUnsafeMutableBufferPointer { pointers in
                recordsFramePointers
                    ? diag_snapshot_unwind_frames(unwinder, &snapshot, stackBytes.baseAddress, buffer.baseAddress,
                                                  pointers.baseAddress, Int32(buffer.count))
                    : diag_snapshot_unwind(unwinder, &snapshot, stackBytes.baseAddress, buffer.baseAddress, Int32(buffer.count))
            }
        }
    }
}
