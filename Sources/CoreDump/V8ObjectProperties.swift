/// The named properties of a V8 JavaScript object in a core, read the way mdb_v8's
/// `::jsprint` does: from the map's own descriptors (in-object fields, fields in the
/// properties array, and constants kept in the descriptor), or from the property
/// dictionary for objects in dictionary mode.
struct V8ObjectProperties {
    let heap: V8Heap
    let walker: V8HeapWalker

    struct Property {
        var name: String
        var value: UInt64
        /// The byte offset of the value in the object itself (nil when it lives elsewhere).
        var inObjectOffset: UInt64?
    }

    private func c(_ name: String) -> Int64 { heap.constant(name) ?? 0 }

    func properties(of object: UInt64) -> [Property] {
        guard let map = heap.field(object, 0), walker.mapFacts(map) != nil,
              let bits = heap.memory.readU32(map &- 1 &+ UInt64(c("v8dbg_class_Map__bit_field3__int"))) else { return [] }
        let properties = heap.field(object, c("v8dbg_class_JSReceiver__raw_properties_or_hash__Object"))
        if bits >> UInt32(c("v8dbg_bit_field3_is_dictionary_map_shift")) & 1 == 1 {
            return properties.map(dictionaryProperties) ?? []
        }
        let count = Int((Int64(bits) & c("v8dbg_bit_field3_number_of_own_descriptors_mask")) >> c("v8dbg_bit_field3_number_of_own_descriptors_shift"))
        guard count > 0, let descriptors = heap.field(map, c("v8dbg_class_Map__instance_descriptors__DescriptorArray")),
              let words = heap.memory.readU8(map &- 1 &+ UInt64(c("v8dbg_class_Map__instance_size_in_words__char"))),
              let start = heap.memory.readU8(map &- 1 &+ UInt64(c("v8dbg_class_Map__inobject_properties_start_or_constructor_function_index__char"))) else {
            return []
        }
        let inObject = Int(words) - Int(start)
        let header = c("v8dbg_class_DescriptorArray__header_size__uintptr_t"), size = c("v8dbg_prop_desc_size")
        var result: [Property] = []
        for index in 0..<min(count, 1020) {
            let entry = header + Int64(index) * size * 8
            guard let key = heap.field(descriptors, entry + c("v8dbg_prop_desc_key") * 8),
                  let detailsWord = heap.field(descriptors, entry + c("v8dbg_prop_desc_details") * 8),
                  let details = heap.smi(detailsWord) else { continue }
            let name = propertyName(key)
            let location = (details & c("v8dbg_prop_location_mask")) >> c("v8dbg_prop_location_shift")
            if location == c("v8dbg_prop_location_Descriptor") {
                // Native accessors (an array's length) are V8's, not the program's.
                if details & c("v8dbg_prop_kind_mask") == c("v8dbg_prop_kind_Accessor"),
                   let value = heap.field(descriptors, entry + c("v8dbg_prop_desc_value") * 8),
                   heap.isType(value, "v8dbg_type_AccessorInfo__ACCESSOR_INFO_TYPE") { continue }
                if let value = heap.field(descriptors, entry + c("v8dbg_prop_desc_value") * 8) {
                    result.append(Property(name: name, value: value, inObjectOffset: nil))
                }
                continue
            }
            let field = Int((details & c("v8dbg_prop_index_mask")) >> c("v8dbg_prop_index_shift"))
            if field < inObject {
                let offset = UInt64(Int(start) + field) * 8
                if let value = heap.field(object, Int64(offset)) { result.append(Property(name: name, value: value, inObjectOffset: offset)) }
            } else if let properties, let value = heap.field(properties, 16 + Int64(field - inObject) * 8) {
                result.append(Property(name: name, value: value, inObjectOffset: nil))
            }
        }
        return result
    }

    /// A NameDictionary: after the hash table's three counts and the shape's prefix, entries of
    /// key, value and details.
    private func dictionaryProperties(_ dictionary: UInt64) -> [Property] {
        guard let capacityWord = heap.field(dictionary, 16 + 2 * 8), let capacity = heap.smi(capacityWord), capacity > 0, capacity < 1 << 20 else {
            return []
        }
        let first = c("v8dbg_namedictionary_prefix_start_index") + c("v8dbg_namedictionaryshape_prefix_size")
        let entrySize = c("v8dbg_namedictionaryshape_entry_size")
        var result: [Property] = []
        for index in 0..<capacity {
            let element = 16 + (first + index * entrySize) * 8
            guard let key = heap.field(dictionary, element), heap.string(key) != nil || heap.isType(key, "v8dbg_type_Symbol__SYMBOL_TYPE"),
                  let value = heap.field(dictionary, element + 8) else { continue }
            result.append(Property(name: propertyName(key), value: value, inObjectOffset: nil))
        }
        return result
    }

    private func propertyName(_ key: UInt64) -> String {
        if let text = heap.string(key) { return text }
        if heap.isType(key, "v8dbg_type_Symbol__SYMBOL_TYPE") {
            let description = heap.field(key, c("v8dbg_class_Symbol__name__Object")).flatMap { heap.string($0) }
            return "<symbol \(description ?? "")>"
        }
        return "?"
    }
}
