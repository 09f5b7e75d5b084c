import DiagSupport

/// `diag core CORE --js-object ADDRESS` (mdb_v8's `::jsprint` and `::findjsobjects -r`): one
/// object of a Node.js core's heap, its constructor and properties with short previews, and
/// the objects that hold a pointer to it (every heap object's words are searched for it), so
/// that an object the census found can be followed to what keeps it.
public struct JSObjectDescription: Codable, Sendable {
    /// A property and a short preview of its value.
    public struct Property: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        /// The address when the value is a heap object.
        public var address: String?
    }

    /// An object that points at this one.
    public struct Holder: Codable, Sendable, Equatable {
        public var address: String
        public var constructor: String
        /// The property name (`.target`), array index (`[3]`) or byte offset (`+24`) of the pointer.
        public var edge: String
    }

    public var file: String
    public var address: String
    public var constructor: String
    public var bytes: UInt64
    public var properties: [Property]
    /// The length of an array and a preview of its first elements.
    public var elementCount: Int?
    public var elements: [Property]
    public var heldBy: [Holder]
    public var heldByIsComplete: Bool

    public static let holderLimit = 100

    public static func describe(path: String, address text: String) throws -> JSObjectDescription {
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        guard var address = UInt64(digits, radix: 16), address > 4096 else {
            throw DiagError(.failure, "\(text) is not an address (give it in hex, as --js-objects prints it, e.g. 0x2b6f8096df31)")
        }
        if address & 3 == 0 { address |= 1 }
        let core = try NodeCore(path: path)
        let names = V8ClassNames(heap: core.heap, walker: core.walker)
        let reader = V8ObjectProperties(heap: core.heap, walker: core.walker)
        let firstNonString = Int(core.heap.constant("v8dbg_FirstNonstringType") ?? 128)
        var found: V8HeapObject?
        var holders: [(V8HeapObject, UInt64)] = []
        var complete = true
        core.walker.walk { object in
            if object.pointer == address { found = object }
            guard object.type >= firstNonString else { return }
            var offset: UInt64 = 8
            while offset + 8 <= object.size {
                if object.area.u64(at: object.offset + offset) == address {
                    if holders.count < holderLimit { holders.append((object, offset)) } else { complete = false }
                }
                offset += 8
            }
        }
        guard let object = found else {
            throw DiagError(.failure, "no object starts at \(JSObjectCensus.hex(address)) in the heap pages of \(path)",
                            hint: "take an address from `diag core \(path) --js-objects` (the EXAMPLE column)")
        }
        let preview = ValuePreview(heap: core.heap, walker: core.walker, names: names)
        let constructor = names.name(map: object.map, type: object.type)
        let isReceiver = object.type >= Int(core.heap.constant("v8dbg_type_JSProxy__JS_PROXY_TYPE") ?? .max)
        let properties = isReceiver ? reader.properties(of: address) : []
        var elementCount: Int?
        var elements: [Property] = []
        if object.type == Int(core.heap.constant("v8dbg_type_JSArray__JS_ARRAY_TYPE") ?? -1) {
            (elementCount, elements) = arrayElements(address, heap: core.heap, preview: preview)
        } else if constructor == "(array)", let lengthWord = object.field(8), let length = core.heap.smi(lengthWord) {
            elementCount = Int(length)
            elements = (0..<min(Int(length), 10)).compactMap { index in
                object.field(16 + UInt64(index) * 8).map { preview.property("[\(index)]", $0) }
            }
        }
        return JSObjectDescription(
            file: path, address: JSObjectCensus.hex(address), constructor: constructor, bytes: object.size,
            properties: properties.map { preview.property($0.name, $0.value) }, elementCount: elementCount, elements: elements,
            heldBy: holders.map { holder, offset in
                Holder(address: JSObjectCensus.hex(holder.pointer), constructor: names.name(map: holder.map, type: holder.type),
                       edge: edge(holder, offset: offset, reader: reader, names: names))
            },
            heldByIsComplete: complete)
    }

    private static func arrayElements(_ array: UInt64, heap: V8Heap, preview: ValuePreview) -> (Int?, [Property]) {
        guard let lengthWord = heap.field(array, 24), let length = heap.smi(lengthWord),
              let elements = heap.field(array, heap.constant("v8dbg_class_JSObject__elements__Object")) else { return (nil, []) }
        let shown = (0..<min(Int(length), 10)).compactMap { index in
            heap.field(elements, 16 + Int64(index) * 8).map { preview.property("[\(index)]", $0) }
        }
        return (Int(length), shown)
    }

    private static func edge(_ holder: V8HeapObject, offset: UInt64, reader: V8ObjectProperties, names: V8ClassNames) -> String {
        if let property = reader.properties(of: holder.pointer).first(where: { $0.inObjectOffset == offset }) { return "." + property.name }
        if names.name(map: holder.map, type: holder.type) == "(array)", offset >= 16 { return "[\((offset - 16) / 8)]" }
        return "+\(offset)"
    }
}

/// Short previews of tagged values: numbers, strings (cut at 60 characters), true, false,
/// null, undefined, and for other objects their constructor and address.
struct ValuePreview {
    let heap: V8Heap
    let walker: V8HeapWalker
    let names: V8ClassNames

    func property(_ name: String, _ value: UInt64) -> JSObjectDescription.Property {
        if let number = heap.smi(value) { return .init(name: name, value: String(number), address: nil) }
        let address = JSObjectCensus.hex(value)
        guard heap.isHeapObject(value), let map = heap.field(value, 0), let facts = walker.mapFacts(map) else {
            return .init(name: name, value: "? \(address)", address: nil)
        }
        if let text = heap.string(value) {
            let cut = text.count > 60 ? String(text.prefix(60)) + "…" : text
            return .init(name: name, value: "\"\(cut)\"", address: address)
        }
        if heap.isType(value, "v8dbg_type_HeapNumber__HEAP_NUMBER_TYPE"),
           let bits = heap.memory.readU64(value &- 1 &+ UInt64(heap.constant("v8dbg_class_HeapNumber__value__double") ?? 8)) {
            return .init(name: name, value: "\(Double(bitPattern: bits))", address: address)
        }
        if heap.isType(value, "v8dbg_type_Oddball__ODDBALL_TYPE"),
           let text = heap.field(value, heap.constant("v8dbg_class_Oddball__to_string__String")).flatMap({ heap.string($0) }) {
            return .init(name: name, value: text, address: address)
        }
        if heap.isType(value, "v8dbg_type_AccessorPair__ACCESSOR_PAIR_TYPE") { return .init(name: name, value: "(getter/setter)", address: address) }
        var shown = names.name(map: map, type: facts.type)
        if shown == "Function", let shared = heap.field(value, heap.constant("v8dbg_class_JSFunction__shared__SharedFunctionInfo")),
           let function = V8FrameWalker.functionName(shared, heap: heap) {
            shown += " \(function)"
        }
        return .init(name: name, value: "\(shown) \(address)", address: address)
    }
}
