import BackMap

/// The floating-point type a model is evaluated in.
public enum ExplorerPrecision: String, CaseIterable, Hashable, Sendable, Codable {
    case float, double
}

/// Which picture a request is about: a CIFAR-10 test image or an uploaded one.
public enum ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The test image with this index in `test_batch.bin`.
    case test(Int)
    /// An image uploaded earlier (``Explorer/upload(_:)`` returned its identifier).
    case upload(String)

    /// `7` or `upload:1f2e…`, as written in a URL.
    public var description: String {
        switch self {
        case .test(let index): "\(index)"
        case .upload(let identifier): "upload:\(identifier)"
        }
    }

    /// Reads `7` or `upload:<hex>`.
    ///
    /// ```swift
    /// let reference = try ImageReference.parse("upload:0a1b2c3d4e5f6a7b")
    /// ```
    /// - Throws: ``ExplorerError`` (400) for anything else.
    public static func parse(_ text: String) throws(ExplorerError) -> ImageReference {
        if text.hasPrefix("upload:") {
            let identifier = String(text.dropFirst("upload:".count))
            guard identifier.count == 16, identifier.allSatisfy(\.isHexDigit) else {
                throw .badRequest("image", "an upload is named upload:<16 hex digits>, got \"\(text)\"")
            }
            return .upload(identifier)
        }
        guard let index = Int(text), index >= 0 else {
            throw .badRequest(
                "image", "expected a test-image index (0, 1, …) or upload:<id>, got \"\(text)\"")
        }
        return .test(index)
    }
}

/// What a request asks of a model: the fields every explorer request shares.
public struct ModelSelection: Hashable, Sendable {
    /// VGG7, ResNet20 or ResNet20-Fixup.
    public var model: ModelKind
    /// float32 or float64.
    public var precision: ExplorerPrecision

    /// Creates a selection.
    public init(model: ModelKind, precision: ExplorerPrecision) {
        self.model = model
        self.precision = precision
    }

    /// Reads `model` (default `vgg7`) and `precision` (default `float`).
    ///
    /// ```swift
    /// let selection = try ModelSelection.parse(["model": "resnet20", "precision": "double"])
    /// ```
    /// - Throws: ``ExplorerError`` (400) naming the field for an unknown value.
    public static func parse(_ query: [String: String]) throws(ExplorerError) -> ModelSelection {
        let modelText = query["model"] ?? ModelKind.vgg7.rawValue
        guard let model = ModelKind(rawValue: modelText) else {
            let known = ModelKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badRequest("model", "unknown model \"\(modelText)\" (\(known))")
        }
        let precisionText = query["precision"] ?? ExplorerPrecision.float.rawValue
        guard let precision = ExplorerPrecision(rawValue: precisionText) else {
            throw .badRequest("precision", "unknown precision \"\(precisionText)\" (float, double)")
        }
        return ModelSelection(model: model, precision: precision)
    }
}

/// A request for the feature maps of one layer on one image (to pick a unit from).
public struct FeatureQuery: Hashable, Sendable {
    /// The model and precision.
    public var selection: ModelSelection
    /// The image.
    public var image: ImageReference
    /// The layer index (``FoldedNetwork/layers``).
    public var layer: Int

    /// Reads `model`, `precision`, `image` (default 0) and `layer` (default 0).
    ///
    /// ```swift
    /// let query = try FeatureQuery.parse(["image": "3", "layer": "2"])
    /// ```
    /// - Throws: ``ExplorerError`` (400) naming the malformed field.
    public static func parse(_ query: [String: String]) throws(ExplorerError) -> FeatureQuery {
        FeatureQuery(
            selection: try ModelSelection.parse(query),
            image: try ImageReference.parse(query["image"] ?? "0"),
            layer: try QueryFields.integer(query, "layer", default: 0))
    }
}

/// A request for one back-map: the hypersurface of a unit (RM2), a channel (RM1), an
/// in-channel's share (RM3, RM4) or a class (RM0) on one image.
public struct ExplorerQuery: Hashable, Sendable {
    /// The model and precision.
    public var selection: ModelSelection
    /// The image.
    public var image: ImageReference
    /// What to map.
    public var mode: Mode
    /// `k` of the evaluation point `z = k·[x; x_b]`.
    public var scale: Double
    /// Whether the unit's own bias is included (RM0–RM2).
    public var includeOwnBias: Bool
    /// Whether the figure gets a panel with `H^I` over the image.
    public var overlay: Bool

    /// The back-map options the query asks for.
    public var options: BackMapOptions { BackMapOptions(scale: scale, includeOwnBias: includeOwnBias) }

    /// Reads a query string's fields: `model`, `precision`, `image`, `mode` (`rm0`…`rm4`, default
    /// `rm2`), `layer`, `channel`, `row`, `column`, `in` (the in-channel of RM3/RM4), `unit`
    /// (RM0), `k` (default 0.125), `bias` (own bias, `0`/`1`), `overlay` (`0`/`1`).
    ///
    /// ```swift
    /// let query = try ExplorerQuery.parse(["mode": "rm2", "layer": "3", "channel": "5", "row": "8", "column": "8"])
    /// ```
    /// - Throws: ``ExplorerError`` (400) naming the malformed field. Whether the layer and unit
    ///   exist is checked against the model (``Explorer/backMap(_:)``).
    public static func parse(_ query: [String: String]) throws(ExplorerError) -> ExplorerQuery {
        let scale = try QueryFields.number(query, "k", default: 0.125)
        guard scale > 0, scale.isFinite, scale <= 1024 else {
            throw .badRequest("k", "must be a positive number no larger than 1024, got \(scale)")
        }
        return ExplorerQuery(
            selection: try ModelSelection.parse(query),
            image: try ImageReference.parse(query["image"] ?? "0"),
            mode: try parseMode(query), scale: scale,
            includeOwnBias: try QueryFields.flag(query, "bias"),
            overlay: try QueryFields.flag(query, "overlay"))
    }

    private static func parseMode(_ query: [String: String]) throws(ExplorerError) -> Mode {
        func value(_ name: String) throws(ExplorerError) -> Int {
            try QueryFields.integer(query, name, default: 0)
        }
        switch query["mode"] ?? "rm2" {
        case "rm0":
            let layer: Int? = query["layer"] == nil ? nil : try value("layer")
            return .rm0(unit: try value("unit"), layer: layer)
        case "rm1": return .rm1(layer: try value("layer"), channel: try value("channel"))
        case "rm2":
            return .rm2(
                layer: try value("layer"), channel: try value("channel"), row: try value("row"),
                column: try value("column"))
        case "rm3":
            return .rm3(layer: try value("layer"), inChannel: try value("in"), channel: try value("channel"))
        case "rm4":
            return .rm4(
                layer: try value("layer"), inChannel: try value("in"), channel: try value("channel"),
                row: try value("row"), column: try value("column"))
        case let other:
            throw .badRequest("mode", "unknown mode \"\(other)\" (rm0, rm1, rm2, rm3, rm4)")
        }
    }
}

/// Reading typed fields of a query string.
enum QueryFields {
    static func integer(_ query: [String: String], _ name: String, default value: Int) throws(ExplorerError)
        -> Int
    {
        guard let text = query[name] else { return value }
        guard let number = Int(text), number >= 0 else {
            throw .badRequest(name, "expected a whole number ≥ 0, got \"\(text)\"")
        }
        return number
    }

    static func number(_ query: [String: String], _ name: String, default value: Double) throws(ExplorerError)
        -> Double
    {
        guard let text = query[name] else { return value }
        guard let number = Double(text) else {
            throw .badRequest(name, "expected a number, got \"\(text)\"")
        }
        return number
    }

    static func flag(_ query: [String: String], _ name: String) throws(ExplorerError) -> Bool {
        switch query[name] {
        case nil, "0", "false", "off": return false
        case "1", "true", "on": return true
        case let text?: throw .badRequest(name, "expected 0 or 1, got \"\(text)\"")
        }
    }
}
