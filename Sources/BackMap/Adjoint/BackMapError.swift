import LinearAlgebra

/// An invalid request to the engine. The cases a caller may want to react to carry what was
/// out of range (which layer, which coordinate of which mode); the message names all of it.
public enum BackMapError: Error, CustomStringConvertible, Equatable {
    /// A unit coordinate of a mode.
    public enum Coordinate: String, Sendable {
        case unit, channel, row, column
        case inChannel = "in-channel"
    }

    /// Layer `layer` is not one of the network's `layerCount` layers; `mode` is the request
    /// that named it, if it was a back-map.
    case layerOutOfRange(layer: Int, layerCount: Int, mode: Mode?)
    /// `mode` needs a layer of kind `needed`; layer `layer` (`name`) is a `kind` layer.
    case wrongLayerKind(mode: Mode, layer: Int, name: String, kind: Layer.Kind, needed: Layer.Kind)
    /// `mode` (RM0 on the classifier) asks for a dense layer; the network has none.
    case noDenseLayer(mode: Mode)
    /// A coordinate of `mode` is `value`, outside `0..<bound`.
    case coordinateOutOfRange(mode: Mode, coordinate: Coordinate, value: Int, bound: Int)
    /// The image has `values` values; the network expects one map of `expected`.
    case imageSize(values: Int, expected: Shape)
    /// The factor `k` of the evaluation point is not positive and finite.
    case invalidScale(Double)
    /// Any other invalid argument, described by its message.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .layerOutOfRange(let layer, let count, let mode):
            let prefix = mode.map { "\($0): " } ?? ""
            let range = count == 0 ? "the network has no layers" : "layers 0…\(count - 1)"
            return "\(prefix)layer \(layer) does not exist (\(range))"
        case .wrongLayerKind(let mode, let layer, let name, let kind, let needed):
            return "\(mode): layer \(layer) (\(name)) is a \(kind) layer; this mode needs a \(needed) layer"
        case .noDenseLayer(let mode):
            return "\(mode): the network has no dense layer"
        case .coordinateOutOfRange(let mode, let coordinate, let value, let bound):
            return "\(mode): \(coordinate.rawValue) \(value) is outside 0..<\(bound)"
        case .imageSize(let values, let expected):
            return "image has \(values) values, the network expects \(expected) = \(expected.count)"
        case .invalidScale(let scale):
            return "k must be positive, got \(scale)"
        case .invalidArgument(let message):
            return message
        }
    }
}
