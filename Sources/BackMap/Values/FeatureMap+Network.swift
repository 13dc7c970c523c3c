import LinearAlgebra

extension CIFARImage {
    /// The image as a `32 × 32 × 3` map with values in `[0, 1]`.
    ///
    /// ```swift
    /// let x: FeatureMap<Double> = record.image()
    /// let red = x.channel(0)
    /// ```
    public func image<T: BLASScalar>(as type: T.Type = T.self) -> FeatureMap<T> {
        FeatureMap(pixels(as: T.self), shape: Self.shape)
    }
}

extension FoldedNetwork {
    /// The forward pass on a shaped image (see ``forward(_:scale:)``).
    ///
    /// ```swift
    /// let logits = try network.forward(x).output
    /// ```
    public func forward(_ image: FeatureMap<T>, scale: T = 1) throws -> ForwardPass<T> {
        try forward(image.values, scale: scale)
    }

    /// The hypersurface of one unit for a shaped image (see ``backMap(_:mode:options:)``).
    ///
    /// ```swift
    /// let h = try network.backMap(x, mode: .rm0(unit: 3))
    /// ```
    public func backMap(_ image: FeatureMap<T>, mode: Mode, options: BackMapOptions = .init())
        throws -> HyperSurface<T>
    {
        try backMap(image.values, mode: mode, options: options)
    }

    /// Several hypersurfaces of one shaped image (see ``backMaps(_:modes:options:)``).
    ///
    /// ```swift
    /// let totals = try network.backMaps(x, modes: (0..<64).map { .rm1(layer: 3, channel: $0) })
    /// ```
    public func backMaps(_ image: FeatureMap<T>, modes: [Mode], options: BackMapOptions = .init())
        throws -> [HyperSurface<T>]
    {
        try backMaps(image.values, modes: modes, options: options)
    }

    /// The predicted class of a shaped image (the index of the largest logit).
    ///
    /// ```swift
    /// let predicted = try network.classify(x)
    /// ```
    public func classify(_ image: FeatureMap<T>) throws -> Int {
        try classify(image.values)
    }
}

extension FoldedNetwork {
    /// The own bias of every unit of a layer (zero where the layer has none), shaped like the
    /// layer: `values(of: layer) + ownBias(of: layer)` is the layer's output after its bias.
    ///
    /// ```swift
    /// let afterBias = pass.values(of: conv3) + network.ownBias(of: conv3)
    /// ```
    public func ownBias(of layer: Layer) -> FeatureMap<T> {
        var result = FeatureMap<T>(repeating: 0, shape: layer.shape)
        guard let range = layer.ownBias else { return result }
        let channels = layer.shape.channels
        for unit in result.indices {
            result[unit] =
                biasValues[range.count == 1 ? range.lowerBound : range.lowerBound + unit % channels]
        }
        return result
    }
}
