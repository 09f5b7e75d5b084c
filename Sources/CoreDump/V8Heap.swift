/// Reads V8 heap objects from a Node.js core (or a live Node.js process) with the `v8dbg_*`
/// postmortem constants node exports (offsets, instance types, tags). Every read is checked;
/// anything unexpected gives nil, never a wrong value passed off as right.
struct V8Heap {
    let memory: any V8MemoryReading
    let constants: [String: Int64]

    /// The constants this reader cannot do without.
    static let required = [
        "v8dbg_HeapObjectTag", "v8dbg_HeapObjectTagMask", "v8dbg_FirstNonstringType",
        "v8dbg_class_Map__instance_type__uint16_t", "v8dbg_class_JSFunction__shared__SharedFunctionInfo",
        "v8dbg_class_SharedFunctionInfo__name_or_scope_info__Object",
        "v8dbg_class_SharedFunctionInfo__script_or_debug_info__HeapObject", "v8dbg_class_Script__name__Object",
        "v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE", "v8dbg_type_Script__SCRIPT_TYPE",
        "v8dbg_class_String__length__int32_t", "v8dbg_off_fp_function",
    ]

    func constant(_ name: String) -> Int64? { constants[name] }

    /// The constant of the frame slot where V8 keeps a JavaScript frame's context and a typed
    /// frame its Smi type marker: its newer name when `constants` has it, else the older one.
    static func frameContextConstant(in constants: [String: Int64]) -> String {
        constants["v8dbg_off_fp_context_or_frame_type"] != nil ? "v8dbg_off_fp_context_or_frame_type" : "v8dbg_off_fp_context"
    }

    /// The offset from the frame pointer of the frame's context or type marker slot.
    var frameContextOffset: Int64? { constant(V8Heap.frameContextConstant(in: constants)) }

    func isHeapObject(_ value: UInt64) -> Bool {
        guard let tag = constant("v8dbg_HeapObjectTag"), let mask = constant("v8dbg_HeapObjectTagMask") else { return false }
        return value & UInt64(mask) == UInt64(tag) && value > 4096
    }

    /// The tagged field at `offset` of heap object `object`.
    func field(_ object: UInt64, _ offset: Int64?) -> UInt64? {
        guard isHeapObject(object), let offset else { return nil }
        return memory.readU64(object &- 1 &+ UInt64(bitPattern: offset))
    }

    func instanceType(_ object: UInt64) -> Int64? {
        guard let map = field(object, constant("v8dbg_class_HeapObject__map__Map") ?? 0), isHeapObject(map),
              let offset = constant("v8dbg_class_Map__instance_type__uint16_t"),
              let type = memory.readU16(map &- 1 &+ UInt64(bitPattern: offset)) else { return nil }
        return Int64(type)
    }

    func isType(_ object: UInt64, _ name: String) -> Bool {
        guard let expected = constant(name), let type = instanceType(object) else { return false }
        return type == expected
    }

    /// A Smi's value (8-byte tagged values: the payload is the upper 32 bits).
    func smi(_ value: UInt64) -> Int64? {
        guard value & 1 == 0 else { return nil }
        return Int64(Int32(truncatingIfNeeded: Int64(bitPattern: value) >> 32))
    }

    /// The text of a V8 string: sequential, cons, sliced, thin or external, one- or two-byte.
    func string(_ object: UInt64, depth: Int = 0) -> String? {
        guard depth < 16, let type = instanceType(object), let firstNonString = constant("v8dbg_FirstNonstringType"),
              type < firstNonString, let lengthOffset = constant("v8dbg_class_String__length__int32_t"),
              let lengthWord = memory.readU32(object &- 1 &+ UInt64(bitPattern: lengthOffset)) else { return nil }
        let length = Int(Int32(bitPattern: lengthWord))
        guard length >= 0, length <= 1 << 20 else { return nil }
        let representation = type & (constant("v8dbg_StringRepresentationMask") ?? 7)
        let isOneByte = type & (constant("v8dbg_StringEncodingMask") ?? 8) == (constant("v8dbg_OneByteStringTag") ?? 8)
        switch representation {
        case constant("v8dbg_SeqStringTag"):
            let offset = constant(isOneByte ? "v8dbg_class_SeqOneByteString__chars__char" : "v8dbg_class_SeqTwoByteString__chars__char")
            guard let offset else { return nil }
            return characters(at: object &- 1 &+ UInt64(bitPattern: offset), length: length, oneByte: isOneByte)
        case constant("v8dbg_ConsStringTag"):
            guard let first = field(object, constant("v8dbg_class_ConsString__first__String")),
                  let second = field(object, constant("v8dbg_class_ConsString__second__String")),
                  let head = string(first, depth: depth + 1), let tail = string(second, depth: depth + 1) else { return nil }
            return head + tail
        case constant("v8dbg_ThinStringTag"):
            guard let actual = field(object, constant("v8dbg_class_ThinString__actual__String")) else { return nil }
            return string(actual, depth: depth + 1)
        case constant("v8dbg_SlicedStringTag"):
            guard let parent = field(object, constant("v8dbg_class_SlicedString__parent__String")),
                  let offsetWord = field(object, constant("v8dbg_class_SlicedString__offset__SMI")),
                  let start = smi(offsetWord), let whole = string(parent, depth: depth + 1) else { return nil }
            let characters = Array(whole)
            guard start >= 0, Int(start) + length <= characters.count else { return nil }
            return String(characters[Int(start)..<Int(start) + length])
        case constant("v8dbg_ExternalStringTag"):
            // The resource pointer is followed by V8's cached pointer to the characters.
            guard let offset = constant("v8dbg_class_ExternalString__resource__Object"),
                  let data = memory.readU64(object &- 1 &+ UInt64(bitPattern: offset) &+ 8), data != 0 else { return nil }
            return characters(at: data, length: length, oneByte: isOneByte)
        default:
            return nil
        }
    }

    private func characters(at address: UInt64, length: Int, oneByte: Bool) -> String? {
        if oneByte {
            guard let bytes = memory.read(address, count: length) else { return nil }
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        guard let bytes = memory.read(address, count: length * 2) else { return nil }
        let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }
}
