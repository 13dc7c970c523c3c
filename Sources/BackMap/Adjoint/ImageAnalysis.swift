import LinearAlgebra

/// One image prepared for many back-maps: the forward passes at `z = k·[x; x_b]` (for the
/// pattern) and at `[x; x_b]` (for `c`) are computed once.
///
/// ```swift
/// let analysis = try net.analysis(of: image)
/// for channel in 0..<64 {
///     let h = try analysis.backMap(.rm2(layer: 3, channel: channel, row: 4, column: 4))
/// }
/// ```
public struct ImageAnalysis<T: BLASScalar>: Sendable {
    /// The network analysed.
    public let network: FoldedNetwork<T>
    /// The input `x`.
    public let image: [T]
    /// `k`, own-bias handling and accumulation of every back-map.
    public let options: BackMapOptions
    let pattern: ForwardPass<T>
    let actualPass: ForwardPass<T>

    /// The unit values of a layer (before its own bias), shaped like the layer.
    public func values(of layer: Layer) -> FeatureMap<T> { actualPass.values(of: layer) }

    /// The network output (logits).
    public var output: [T] { actualPass.output }

    /// The effective hypersurface of one unit (or sum of units).
    ///
    /// - Throws: ``BackMapError`` when the layer or unit does not exist.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backMap(_ mode: Mode) throws -> HyperSurface<T> {
        let request = try network.resolve(mode)
        return network.makeHyperSurface(
            image, request: request, pattern: pattern, actualPass: actualPass, options: options)
    }
}

extension FoldedNetwork {
    /// Runs the forward passes of one image once, for many back-maps.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func analysis(of image: [T], options: BackMapOptions = .init()) throws
        -> ImageAnalysis<T>
    {
        try analysis(of: image, options: options, through: nodes.count - 1)
    }

    func analysis(
        of image: [T], options: BackMapOptions, through lastNode: Int, regions: [Region?]? = nil
    ) throws -> ImageAnalysis<T> {
        let scale = T(options.scale)
        guard scale > 0, scale.isFinite else {
            throw BackMapError.invalidScale(options.scale)
        }
        let (pattern, actualPass) = try forwardPasses(
            image, scale: scale, through: lastNode, regions: regions)
        return ImageAnalysis(
            network: self, image: image, options: options, pattern: pattern, actualPass: actualPass)
    }

    /// The forward passes at `z = k·[x; x_b]` (pattern) and at `[x; x_b]` (values `c`).
    ///
    /// When `k` is a power of two, scaling every input and bias by `k` scales every rounding
    /// step of the forward pass exactly (binary floating point, barring subnormals), so the
    /// pass at `[x; x_b]` is the pass at `z` divided by `k`, bit for bit, and is not run twice;
    /// its values are rescaled when read (``ForwardPass/value(at:)``).
    ///
    /// - Parameter regions: Restrict the passes to these regions (see ``neededRegions(from:at:)``).
    func forwardPasses(
        _ image: [T], scale: T, through lastNode: Int, regions: [Region?]? = nil
    ) throws -> (pattern: ForwardPass<T>, actual: ForwardPass<T>) {
        let pattern = try forward(image, scale: scale, through: lastNode, regions: regions)
        if scale == 1 { return (pattern, pattern) }
        guard scale.isNormal, scale.significandBitPattern == 0 else {
            return (pattern, try forward(image, scale: 1, through: lastNode, regions: regions))
        }
        var actual = pattern
        actual.scale = 1
        actual.readScale = 1 / scale
        return (pattern, actual)
    }
}
