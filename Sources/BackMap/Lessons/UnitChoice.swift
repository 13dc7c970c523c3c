import LinearAlgebra

/// The choices a lesson makes when it picks what to map.
extension FoldedNetwork {
    /// The output channel `i` of a convolution layer with the largest total activation
    /// `Σ_s c_{l,s,i}` (before its own bias) on `image`.
    ///
    /// ```swift
    /// let channel = try vgg.network.strongestChannel(ofLayer: 3, for: x)
    /// ```
    /// - Throws: ``BackMapError`` for a layer that does not exist or is not a convolution.
    public func strongestChannel(ofLayer layer: Int, for image: FeatureMap<T>) throws -> Int {
        let totals = try convolutionValues(layer, image).sumOverPositions()
        return totals.indices.max { totals[$0] < totals[$1] } ?? 0
    }

    /// The input channel `j` whose share (RM3) in the total of output channel `channel` has
    /// the largest magnitude.
    ///
    /// ```swift
    /// let inChannel = try vgg.network.strongestInChannel(ofLayer: 3, channel: channel, for: x)
    /// ```
    /// - Throws: ``BackMapError`` for an invalid layer or channel.
    public func strongestInChannel(ofLayer layer: Int, channel: Int, for image: FeatureMap<T>) throws
        -> Int
    {
        let target = try convolutionLayer(layer)
        let shares = try backMaps(
            image,
            modes: (0..<target.inputShape.channels).map {
                .rm3(layer: layer, inChannel: $0, channel: channel)
            })
        return shares.indices.max { abs(shares[$0].actual) < abs(shares[$1].actual) } ?? 0
    }

    /// Where channel `channel` of a convolution layer peaks on `image` (the first maximum in
    /// row-major order).
    ///
    /// ```swift
    /// let peak = try vgg.network.peak(ofLayer: 3, channel: channel, for: x)
    /// let unit = Mode.rm2(layer: 3, channel: channel, row: peak.row, column: peak.column)
    /// ```
    /// - Throws: ``BackMapError`` for an invalid layer.
    public func peak(ofLayer layer: Int, channel: Int, for image: FeatureMap<T>) throws -> Location {
        try convolutionValues(layer, image).argmax(inChannel: channel)
    }

    /// The strongest unit of channel `channel` whose receptive field lies inside the image,
    /// not clipped at a border (when every unit's field is clipped, as deep in ResNet20: the
    /// strongest unit among those with the largest field).
    ///
    /// ```swift
    /// let unit = try vgg.network.strongestInteriorUnit(ofLayer: 3, channel: channel, for: x)
    /// ```
    /// - Throws: ``BackMapError`` for an invalid layer.
    public func strongestInteriorUnit(ofLayer layer: Int, channel: Int, for image: FeatureMap<T>)
        throws -> Location
    {
        let values = try convolutionValues(layer, image)
        let fields = (0..<values.shape.positions).map { position in
            receptiveField(
                layer: layer, row: position / values.shape.width, column: position % values.shape.width)
        }
        let largest = fields.map { $0.rows.count * $0.columns.count }.max() ?? 0
        var best: Location?
        for (position, field) in fields.enumerated() where field.rows.count * field.columns.count == largest {
            let location = values.location(ofIndex: position * values.shape.channels + channel)
            if let current = best, !(values[location] > values[current]) { continue }
            best = location
        }
        return best ?? Location(row: 0, column: 0, channel: channel)
    }

    private func convolutionLayer(_ index: Int) throws -> Layer {
        guard layers.indices.contains(index), layers[index].kind == .convolution else {
            throw BackMapError.invalidArgument(
                "layer \(index) is not a convolution layer of this network (layers 0…\(layers.count - 1))")
        }
        return layers[index]
    }

    private func convolutionValues(_ index: Int, _ image: FeatureMap<T>) throws -> FeatureMap<T> {
        try forward(image).values(of: try convolutionLayer(index))
    }
}
