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
        var statistics = selected.map {
            LayerStatistics(layer: layers[$0].name, index: $0, unitsPerImage: layers[$0].units)
        }
        for (count, image) in images.enumerated() {
            let reconstructions = try reconstructLayers(image, layers: selected, options: options)
            for (index, reconstruction) in reconstructions.enumerated() {
                statistics[index].add(reconstruction)
            }
            progress?(count + 1)
        }
        return statistics
    }
}
