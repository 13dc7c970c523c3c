import LinearAlgebra

extension FoldedNetwork {
    /// The index of the largest network output (top-1 class).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func classify(_ image: [T]) throws -> Int {
        let output = try forward(image).output
        var best = 0
        for (index, value) in output.enumerated() where value > output[best] { best = index }
        return best
    }

    /// The paper's verification (Section 4.2) over several images: every unit of every
    /// requested layer reconstructed from its hypersurface, Eq. 16 statistics per layer.
    ///
    /// - Parameters:
    ///   - images: Inputs `x`, HWC.
    ///   - layers: Indices into ``layers``; default every layer except the first.
    ///   - options: `k`, chunk size, own bias, accumulation precision.
    ///   - progress: Called after each image with the number of images done.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func verificationStatistics(
        images: [[T]], layers requested: [Int]? = nil, options: VerificationOptions = .init(),
        progress: ((Int) -> Void)? = nil
    ) throws -> [LayerStatistics] {
        let selected = requested ?? Array(layers.indices.dropFirst())
        var statistics = try emptyStatistics(layers: selected)
        for (count, image) in images.enumerated() {
            let perImage = try imageStatistics(image, index: count, layers: selected, options: options)
            for position in statistics.indices { try statistics[position].merge(perImage[position]) }
            progress?(count + 1)
        }
        return statistics
    }

    /// Eq. 16 statistics of one image, one entry per requested layer.
    ///
    /// - Parameter index: The image's index in its data file, recorded with the largest errors.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func imageStatistics(
        _ image: [T], index: Int?, layers requested: [Int], options: VerificationOptions
    ) throws -> [LayerStatistics] {
        var statistics = try emptyStatistics(layers: requested)
        let reconstructions = try reconstructLayers(image, layers: requested, options: options)
        for (position, reconstruction) in reconstructions.enumerated() {
            statistics[position].add(reconstruction, image: index)
        }
        return statistics
    }

    /// Empty statistics for the given layers.
    ///
    /// - Throws: ``BackMapError`` for a layer index that does not exist.
    public func emptyStatistics(layers requested: [Int]) throws -> [LayerStatistics] {
        try requested.map {
            guard layers.indices.contains($0) else {
                throw BackMapError.layerOutOfRange(layer: $0, layerCount: layers.count, mode: nil)
            }
            return LayerStatistics(layer: layers[$0].name, index: $0, unitsPerImage: layers[$0].units)
        }
    }
}
