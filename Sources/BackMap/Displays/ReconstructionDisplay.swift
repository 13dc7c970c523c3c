import LinearAlgebra
import NotebookSupport
import PNGCodec

extension LayerReconstruction {
    /// `c` of every unit, shaped like the layer.
    ///
    /// ```swift
    /// let conv3 = try network.reconstructLayers(x, layers: [3])[0]
    /// let peak = conv3.actualMap.argmax(inChannel: 5)
    /// ```
    public var actualMap: FeatureMap<T> { FeatureMap(actual, shape: layer.shape) }

    /// `ĉ` of every unit, shaped like the layer.
    ///
    /// ```swift
    /// let residual = conv3.reconstructedMap - conv3.actualMap
    /// ```
    public var reconstructedMap: FeatureMap<T> { FeatureMap(reconstructed, shape: layer.shape) }

    /// The figure of the paper's Fig. A.1 for one channel: the feature map the network computes,
    /// the one reconstructed from the hypersurfaces and their difference on one diverging scale
    /// (with its colour bar), then the difference on its own scale.
    ///
    /// ```swift
    /// try show(try conv3.figure(channel: 5), caption: "Channel 5 of conv3, reconstructed.")
    /// ```
    /// - Throws: ``BackMapError`` for a channel outside the layer.
    public func figure(channel: Int, scale: Int = 6) throws -> PanelFigure {
        guard (0..<layer.shape.channels).contains(channel) else {
            throw BackMapError.invalidArgument(
                "\(layer.name) has no channel \(channel) (0..<\(layer.shape.channels))")
        }
        let original = actualMap.channel(channel).values.map { Float($0) }
        let rebuilt = reconstructedMap.channel(channel).values.map { Float($0) }
        let difference = zip(rebuilt, original).map { $0 - $1 }
        let limit = original.reduce(0) { max($0, abs($1)) }
        let (width, height) = (layer.shape.width, layer.shape.height)
        func tile(_ values: [Float], _ bound: Float?) throws -> PNGImage {
            try Images.diverging(values, width: width, height: height, limit: bound, scale: scale)
        }
        let ownScale = difference.reduce(0) { max($0, abs($1)) }
        return try PanelFigure(
            title: "\(layer.name), channel \(channel): c, ĉ and ĉ − c",
            panels: [
                .init(label: "c (network)", image: try tile(original, limit)),
                .init(label: "ĉ (hypersurfaces)", image: try tile(rebuilt, limit)),
                .init(label: "ĉ − c", image: try tile(difference, limit)),
                .init(
                    label: "ĉ − c (own scale ±\(Table.scientific(Double(ownScale), digits: 1)))",
                    image: try tile(difference, nil)),
            ], colorBar: .init(limit: Double(limit), label: "c"))
    }
}

extension FoldedNetwork {
    /// Every unit of the given layers reconstructed from its hypersurface, for a shaped image
    /// (see ``reconstructLayers(_:layers:options:)``).
    ///
    /// ```swift
    /// let conv3 = try network.reconstructLayers(x, layers: [3])[0]
    /// ```
    public func reconstructLayers(
        _ image: FeatureMap<T>, layers requested: [Int]? = nil, options: VerificationOptions = .init()
    ) throws -> [LayerReconstruction<T>] {
        try reconstructLayers(image.values, layers: requested, options: options)
    }
}
