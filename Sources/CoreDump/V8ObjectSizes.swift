/// The size in bytes of a V8 heap object (8-byte tagged values, no pointer compression), from
/// its map: the map's instance size, or for variable-sized objects the length fields V8's
/// `HeapObject::SizeFromMap` reads. Instance types come from the `v8dbg_type_*` constants;
/// the ranges V8 gives no constant for (the FixedArray and WeakFixedArray subclasses) are the
/// types between two exported ones. Types whose size this does not know give `.unknown`, and
/// the heap walk finds the next object instead.
struct V8ObjectSizes {
    enum Size: Equatable {
        case exact(UInt64)
        /// A context: `Context::SizeFor(length)`, or one word more for the native context
        /// (its microtask queue pointer), which has no instance type constant.
        case context(UInt64)
        case unknown
    }

    /// The constants the sizes are computed from.
    static let required = [
        "v8dbg_FirstNonstringType", "v8dbg_StringRepresentationMask", "v8dbg_SeqStringTag", "v8dbg_StringEncodingMask",
        "v8dbg_OneByteStringTag", "v8dbg_class_Map__instance_size_in_words__char", "v8dbg_class_Map__instance_type__uint16_t",
        "v8dbg_class_FixedArrayBase__length__SMI", "v8dbg_class_String__length__int32_t", "v8dbg_class_BytecodeArray__data__uintptr_t",
        "v8dbg_class_DescriptorArray__header_size__uintptr_t",
        "v8dbg_type_FixedArray__FIXED_ARRAY_TYPE", "v8dbg_type_ByteArray__BYTE_ARRAY_TYPE",
        "v8dbg_type_BytecodeArray__BYTECODE_ARRAY_TYPE", "v8dbg_type_FixedDoubleArray__FIXED_DOUBLE_ARRAY_TYPE",
        "v8dbg_type_SloppyArgumentsElements__SLOPPY_ARGUMENTS_ELEMENTS_TYPE", "v8dbg_FirstContextType", "v8dbg_LastContextType",
        "v8dbg_type_DescriptorArray__DESCRIPTOR_ARRAY_TYPE", "v8dbg_type_StrongDescriptorArray__STRONG_DESCRIPTOR_ARRAY_TYPE",
        "v8dbg_type_WeakFixedArray__WEAK_FIXED_ARRAY_TYPE", "v8dbg_type_AccessorInfo__ACCESSOR_INFO_TYPE",
        "v8dbg_type_EmbedderDataArray__EMBEDDER_DATA_ARRAY_TYPE", "v8dbg_type_FreeSpace__FREE_SPACE_TYPE",
        "v8dbg_type_PropertyArray__PROPERTY_ARRAY_TYPE", "v8dbg_type_WeakArrayList__WEAK_ARRAY_LIST_TYPE",
    ]

    let freeSpaceType: Int
    private let firstNonString, representationMask, seqTag, encodingMask, oneByteTag: Int
    private let fixedArray, byteArray, bytecodeArray, bytecodeHeader, fixedDoubleArray, sloppyArguments: Int
    private let firstContext, lastContext, descriptorArray, strongDescriptorArray, weakFixedArray, accessorInfo: Int
    private let embedderDataArray, propertyArray, weakArrayList: Int
    private let descriptorHeader: UInt64

    /// Nil when a constant in `required` is missing.
    init?(constants: [String: Int64]) {
        guard V8ObjectSizes.required.allSatisfy({ constants[$0] != nil }) else { return nil }
        func type(_ name: String) -> Int { Int(constants[name]!) }
        firstNonString = type("v8dbg_FirstNonstringType")
        representationMask = type("v8dbg_StringRepresentationMask")
        seqTag = type("v8dbg_SeqStringTag")
        encodingMask = type("v8dbg_StringEncodingMask")
        oneByteTag = type("v8dbg_OneByteStringTag")
        fixedArray = type("v8dbg_type_FixedArray__FIXED_ARRAY_TYPE")
        byteArray = type("v8dbg_type_ByteArray__BYTE_ARRAY_TYPE")
        bytecodeArray = type("v8dbg_type_BytecodeArray__BYTECODE_ARRAY_TYPE")
        bytecodeHeader = type("v8dbg_class_BytecodeArray__data__uintptr_t")
        fixedDoubleArray = type("v8dbg_type_FixedDoubleArray__FIXED_DOUBLE_ARRAY_TYPE")
        sloppyArguments = type("v8dbg_type_SloppyArgumentsElements__SLOPPY_ARGUMENTS_ELEMENTS_TYPE")
        firstContext = type("v8dbg_FirstContextType")
        lastContext = type("v8dbg_LastContextType")
        descriptorArray = type("v8dbg_type_DescriptorArray__DESCRIPTOR_ARRAY_TYPE")
        strongDescriptorArray = type("v8dbg_type_StrongDescriptorArray__STRONG_DESCRIPTOR_ARRAY_TYPE")
        weakFixedArray = type("v8dbg_type_WeakFixedArray__WEAK_FIXED_ARRAY_TYPE")
        accessorInfo = type("v8dbg_type_AccessorInfo__ACCESSOR_INFO_TYPE")
        embedderDataArray = type("v8dbg_type_EmbedderDataArray__EMBEDDER_DATA_ARRAY_TYPE")
        freeSpaceType = type("v8dbg_type_FreeSpace__FREE_SPACE_TYPE")
        propertyArray = type("v8dbg_type_PropertyArray__PROPERTY_ARRAY_TYPE")
        weakArrayList = type("v8dbg_type_WeakArrayList__WEAK_ARRAY_LIST_TYPE")
        descriptorHeader = UInt64(constants["v8dbg_class_DescriptorArray__header_size__uintptr_t"]!)
    }

    /// The size of the object at `offset` in `bytes` whose map says `type` and `instanceWords`.
    func size(type: Int, instanceWords: Int, bytes: ByteView, offset: UInt64) -> Size {
        if instanceWords > 0 { return .exact(UInt64(instanceWords) * 8) }
        if type < firstNonString {
            guard type & representationMask == seqTag, let length = bytes.u32(at: offset + 12) else { return .unknown }
            let characters = type & encodingMask == oneByteTag ? UInt64(length) : UInt64(length) * 2
            return .exact(aligned(16 + characters))
        }
        guard let lengthWord = bytes.u64(at: offset + 8) else { return .unknown }
        // Smis keep their payload in the upper 32 bits.
        let smi = lengthWord & 1 == 0 ? UInt64(UInt32(truncatingIfNeeded: lengthWord >> 32) & 0x7fff_ffff) : nil
        switch type {
        case fixedArray..<byteArray, fixedDoubleArray, weakFixedArray..<accessorInfo, embedderDataArray:
            return smi.map { .exact(16 + 8 * $0) } ?? .unknown
        case byteArray:
            return smi.map { .exact(aligned(16 + $0)) } ?? .unknown
        case bytecodeArray:
            return smi.map { .exact(aligned(UInt64(bytecodeHeader) + $0)) } ?? .unknown
        case sloppyArguments:
            return smi.map { .exact(32 + 8 * $0) } ?? .unknown
        case firstContext...lastContext:
            return smi.map { .context(16 + 8 * $0) } ?? .unknown
        case descriptorArray, strongDescriptorArray:
            return .exact(descriptorHeader + 24 * UInt64(UInt16(truncatingIfNeeded: lengthWord)))
        case freeSpaceType:
            return smi.map { .exact($0) } ?? .unknown
        case propertyArray:
            // PropertyArray::length_and_hash: the length is the low 10 bits.
            return smi.map { .exact(16 + 8 * ($0 & 0x3ff)) } ?? .unknown
        case weakArrayList:
            return smi.map { .exact(24 + 8 * $0) } ?? .unknown
        default:
            return .unknown
        }
    }

    private func aligned(_ size: UInt64) -> UInt64 { (size + 7) & ~7 }
}
