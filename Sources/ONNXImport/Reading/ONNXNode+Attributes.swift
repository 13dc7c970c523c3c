/// Typed attribute access; every failure names the node and the attribute.
extension ONNXNode {
    /// The error for this node, in `file`.
    func error(
        _ kind: ONNXImportError.Kind, _ file: String, field: String? = nil, _ message: String
    ) -> ONNXImportError {
        ONNXImportError(kind, file: file, node: name, opType: opType, field: field, message: message)
    }

    /// Throws for an attribute outside `known` (the importer would silently ignore it).
    func checkAttributes(_ known: Set<String>, file: String) throws {
        for key in attributes.keys.sorted() where !known.contains(key) {
            throw error(.unsupportedAttribute, file, field: key, "attribute '\(key)' is not supported")
        }
    }

    /// An integer attribute, or `defaultValue` when absent.
    func int(_ key: String, default defaultValue: Int, file: String) throws -> Int {
        guard let attribute = attributes[key] else { return defaultValue }
        guard attribute.type == .int else {
            throw error(.invalidModel, file, field: key, "expected an integer")
        }
        return Int(attribute.i)
    }

    /// A float attribute, or `defaultValue` when absent.
    func float(_ key: String, default defaultValue: Double, file: String) throws -> Double {
        guard let attribute = attributes[key] else { return defaultValue }
        guard attribute.type == .float else {
            throw error(.invalidModel, file, field: key, "expected a float")
        }
        return Double(attribute.f)
    }

    /// An integer-list attribute, or `defaultValue` when absent.
    func ints(_ key: String, default defaultValue: [Int]? = nil, file: String) throws -> [Int]? {
        guard let attribute = attributes[key] else { return defaultValue }
        guard attribute.type == .ints else {
            throw error(.invalidModel, file, field: key, "expected integers")
        }
        return attribute.ints.map { Int($0) }
    }

    /// A string attribute, or `defaultValue` when absent.
    func string(_ key: String, default defaultValue: String, file: String) throws -> String {
        guard let attribute = attributes[key] else { return defaultValue }
        guard attribute.type == .string else {
            throw error(.invalidModel, file, field: key, "expected a string")
        }
        return String(decoding: attribute.s, as: UTF8.self)
    }

    /// A tensor attribute (`Constant`'s `value`), decoded.
    func tensor(_ key: String, file: String) throws -> ONNXTensor? {
        guard let attribute = attributes[key] else { return nil }
        guard attribute.type == .tensor else {
            throw error(.invalidModel, file, field: key, "expected a tensor")
        }
        var tensor = try ONNXTensor(attribute.t, file: file)
        tensor.name = outputs.first ?? name
        return tensor
    }

    /// A list attribute with one entry per spatial axis that must be the same for both (the
    /// engine's windows have one stride), or `defaultValue` when absent.
    func squarePair(_ key: String, default defaultValue: Int, file: String) throws -> Int {
        guard let values = try ints(key, file: file) else { return defaultValue }
        guard values.count == 2 else {
            throw error(.unsupportedShape, file, field: key, "expected 2 values (2-D), got \(values)")
        }
        guard values.allSatisfy({ (1...4096).contains($0) }) else {
            throw error(.unsupportedAttribute, file, field: key, "\(values): expected values in 1…4096")
        }
        guard values[0] == values[1] else {
            throw error(
                .unsupportedAttribute, file, field: key,
                "\(values): the engine needs equal values for height and width")
        }
        return values[0]
    }
}
