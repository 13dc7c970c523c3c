import BackMap
import LinearAlgebra

/// Checks a mode against a network before the engine sees it, so that each mistake is
/// answered with the request field it is about.
enum ModeValidation {
    /// The layer with this index.
    static func layer<T>(_ index: Int, of network: FoldedNetwork<T>) throws(ExplorerError) -> Layer {
        guard network.layers.indices.contains(index) else {
            let names = network.layers.map { "\($0.index) \($0.name)" }.joined(separator: ", ")
            throw .badRequest("layer", "layer \(index) does not exist (layers: \(names))")
        }
        return network.layers[index]
    }

    /// Throws for a layer, channel, position, in-channel or unit that the network does not have.
    static func check<T>(_ mode: Mode, in network: FoldedNetwork<T>) throws(ExplorerError) {
        switch mode {
        case .rm0(let unit, let index):
            let target: Layer
            if let index {
                target = try layer(index, of: network)
                guard target.kind == .dense else {
                    throw .badRequest(
                        "layer", "RM0 maps a dense layer; layer \(index) (\(target.name)) is a convolution")
                }
            } else {
                guard let classifier = network.classifier else {
                    throw .badRequest("mode", "RM0: the network has no dense layer")
                }
                target = classifier
            }
            try within(unit, target.units, "unit", target)
        case .rm1(let index, let channel):
            try within(channel, try convolution(index, network).shape.channels, "channel", nil)
        case .rm3(let index, let inChannel, let channel):
            let target = try convolution(index, network)
            try within(channel, target.shape.channels, "channel", target)
            try within(inChannel, target.inputShape.channels, "in", target)
        case .rm2(let index, let channel, let row, let column):
            try unit(try convolution(index, network), channel, row, column)
        case .rm4(let index, let inChannel, let channel, let row, let column):
            let target = try convolution(index, network)
            try unit(target, channel, row, column)
            try within(inChannel, target.inputShape.channels, "in", target)
        }
    }

    private static func convolution<T>(_ index: Int, _ network: FoldedNetwork<T>) throws(ExplorerError)
        -> Layer
    {
        let target = try layer(index, of: network)
        guard target.kind == .convolution else {
            throw .badRequest(
                "layer", "RM1–RM4 map a convolution layer; layer \(index) (\(target.name)) is dense (use RM0)"
            )
        }
        return target
    }

    private static func unit(_ target: Layer, _ channel: Int, _ row: Int, _ column: Int) throws(ExplorerError)
    {
        try within(channel, target.shape.channels, "channel", target)
        try within(row, target.shape.height, "row", target)
        try within(column, target.shape.width, "column", target)
    }

    private static func within(_ value: Int, _ count: Int, _ field: String, _ target: Layer?)
        throws(ExplorerError)
    {
        guard (0..<count).contains(value) else {
            let place = target.map { " of \($0.name) (\($0.shape))" } ?? ""
            throw .badRequest(field, "\(value) is outside 0…\(count - 1)\(place)")
        }
    }
}
