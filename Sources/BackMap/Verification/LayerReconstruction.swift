import LinearAlgebra

/// Settings of a layer-wide verification (the paper's Section 4.2): those of a single
/// back-map (``BackMapOptions``) and the batch of the tangent GEMMs.
public struct VerificationOptions: Hashable, Sendable {
    /// `k`, own-bias handling and accumulation precision, as for a single back-map. With
    /// `accumulateInDouble` off, `ĉ = Σ_t H[u, t] · z_t` is one GEMM per chunk in the working
    /// precision.
    public var backMap: BackMapOptions
    /// Joint-input directions propagated together (the batch of the tangent GEMMs).
    public var chunkSize: Int = 12

    /// The factor `k` of the evaluation point (``BackMapOptions/scale``).
    public var scale: Double {
        get { backMap.scale }
        set { backMap.scale = newValue }
    }
    /// Reconstruct the values including each unit's own bias (``BackMapOptions/includeOwnBias``).
    public var includeOwnBias: Bool {
        get { backMap.includeOwnBias }
        set { backMap.includeOwnBias = newValue }
    }
    /// Accumulate `ĉ` in `Double` (``BackMapOptions/accumulateInDouble``).
    public var accumulateInDouble: Bool {
        get { backMap.accumulateInDouble }
        set { backMap.accumulateInDouble = newValue }
    }

    public init(
        scale: Double = 0.125, chunkSize: Int = 12, includeOwnBias: Bool = false,
        accumulateInDouble: Bool = false
    ) {
        backMap = BackMapOptions(
            scale: scale, includeOwnBias: includeOwnBias, accumulateInDouble: accumulateInDouble)
        self.chunkSize = chunkSize
    }
}

/// `c` and `ĉ` for every unit of one layer on one image.
public struct LayerReconstruction<T: BLASScalar>: Sendable {
    /// The layer.
    public var layer: Layer
    /// `c` for every unit (HWC), as the network computes it.
    public var actual: [T]
    /// `ĉ` for every unit, each from that unit's hypersurface.
    public var reconstructed: [T]
    /// `⟨x|H^I⟩` for every unit: the image's share of `ĉ`.
    public var imageContribution: [T]
    /// `⟨x_b|H^b⟩` for every unit: the biases' share of `ĉ` (with the unit's own bias when
    /// ``VerificationOptions/includeOwnBias`` is set). `imageContribution + biasContribution`
    /// equals `reconstructed` up to the rounding of the order of additions.
    public var biasContribution: [T]

    /// A reconstruction from its parts (the split may be left empty).
    public init(
        layer: Layer, actual: [T], reconstructed: [T], imageContribution: [T] = [],
        biasContribution: [T] = []
    ) {
        self.layer = layer
        self.actual = actual
        self.reconstructed = reconstructed
        self.imageContribution = imageContribution
        self.biasContribution = biasContribution
    }

    /// Eq. 16 for every unit.
    public var relativeErrors: [Double] {
        zip(reconstructed, actual).map {
            RelativeError.of(reconstructed: Double($0), actual: Double($1))
        }
    }
}

extension FoldedNetwork {
    /// Reconstructs every unit of the given layers from its effective hypersurface.
    ///
    /// The Jacobian of each layer with respect to `[x; x_b]` is streamed in chunks of
    /// directions and contracted with `[x; x_b]` on the fly: `ĉ_u = Σ_t H_u[t] · z_t`. No
    /// layer's full Jacobian is held, and no `ĉ` comes from a second forward pass.
    ///
    /// - Parameters:
    ///   - image: The input `x`.
    ///   - layers: Indices into ``layers``; default every layer except the first.
    ///   - options: `k`, chunk size, own bias, accumulation precision.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func reconstructLayers(
        _ image: [T], layers requested: [Int]? = nil, options: VerificationOptions = .init()
    ) throws -> [LayerReconstruction<T>] {
        try reconstructLayersCountingFlops(image, layers: requested, options: options).layers
    }

    /// ``reconstructLayers(_:layers:options:)`` that also returns the floating-point
    /// operations of its tangent products (for benchmarks).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func reconstructLayersCountingFlops(
        _ image: [T], layers requested: [Int]? = nil, options: VerificationOptions = .init()
    ) throws -> (layers: [LayerReconstruction<T>], flops: Double) {
        let selected = requested ?? Array(layers.indices.dropFirst())
        for index in selected where !layers.indices.contains(index) {
            throw BackMapError.layerOutOfRange(layer: index, layerCount: layers.count, mode: nil)
        }
        guard let lastNode = selected.map({ layers[$0].node }).max() else { return ([], 0) }
        var flops = 0.0
        let valuesNeeded = selected.map { layers[$0].ownBiasNode ?? layers[$0].node }.max() ?? lastNode
        let (pattern, actualPass) = try forwardPasses(
            image, scale: T(options.scale), through: valuesNeeded)
        let wanted = Set(selected)
        var sums = [Int: LayerSums<T>]()
        for index in selected {
            sums[index] = LayerSums(units: layers[index].units, inDouble: options.accumulateInDouble)
        }
        let chunks = directionChunks(size: options.chunkSize)
        // Image chunks come first: the running sums at the first bias chunk are `⟨x|H^I⟩`;
        // the bias chunks are also summed on their own, for `⟨x_b|H^b⟩`.
        let imageChunkCount =
            chunks.firstIndex {
                if case .bias = $0.first { return true }
                return false
            } ?? chunks.count
        let biasValues = biasValues
        ParallelWork.run(count: chunks.count) { chunkIndex in
            chunkContributions(
                chunks[chunkIndex], image: image, biasValues: biasValues, pattern: pattern,
                through: lastNode, wanted: wanted, inDouble: options.accumulateInDouble)
        } consume: { chunkIndex, chunk in
            flops += chunk.flops
            let isBias = chunkIndex >= imageChunkCount
            for contribution in chunk.contributions {
                let shape = layers[contribution.layer].shape
                sums[contribution.layer]?.add(contribution, isBias: isBias, shape: shape)
            }
            if chunkIndex == imageChunkCount - 1 {
                for index in selected {
                    if let total = sums[index]?.total { sums[index]?.image = total }
                }
            }
        }
        let result = selected.map { index in
            reconstruction(of: layers[index], sums: sums[index], actualPass: actualPass, options: options)
        }
        return (result, flops)
    }

    /// `c` and `ĉ` of one layer from its sums, with the own bias added when asked for.
    private func reconstruction(
        of layer: Layer, sums: LayerSums<T>?, actualPass: ForwardPass<T>,
        options: VerificationOptions
    ) -> LayerReconstruction<T> {
        var reconstructed = sums?.total.values ?? []
        let imagePart = sums?.image.values ?? []
        var biasPart = sums?.bias.values ?? []
        var actual = actualPass.value(at: layer.node)
        if options.includeOwnBias, let biasNode = layer.ownBiasNode {
            actual = actualPass.value(at: biasNode)
            for unit in reconstructed.indices {
                guard let entry = layer.ownBiasEntry(ofUnit: unit) else { continue }
                reconstructed[unit] += biasValues[entry]
                biasPart[unit] += biasValues[entry]
            }
        }
        return LayerReconstruction(
            layer: layer, actual: actual, reconstructed: reconstructed,
            imageContribution: imagePart, biasContribution: biasPart)
    }

    /// What one chunk of directions adds to `ĉ` of each wanted layer: `Σ_t H[u, t] · z_t`
    /// over the chunk's directions `t`, over the region its tangents reach.
    private func chunkContributions(
        _ chunk: [Direction], image: [T], biasValues: [T], pattern: ForwardPass<T>,
        through lastNode: Int, wanted: Set<Int>, inDouble: Bool
    ) -> ChunkContributions<T> {
        let z: [T] = chunk.map {
            switch $0 {
            case .image(let pixel): image[pixel]
            case .bias(let entry): biasValues[entry]
            }
        }
        var contributions: [LayerContribution<T>] = []
        let flops = propagateTangents(chunk, pass: pattern, through: lastNode) { layer, tangent in
            guard wanted.contains(layer.index), let tangent else { return }
            let stride = tangent.region.positions * tangent.channels
            if inDouble {
                var partial = [Double](repeating: 0, count: stride)
                tangent.values.withUnsafeBufferPointer { values in
                    partial.withUnsafeMutableBufferPointer { sum in
                        for (item, weight) in z.enumerated() where weight != 0 {
                            let base = item * stride
                            let w = Double(weight)
                            for i in 0..<stride { sum[i] += Double(values[base + i]) * w }
                        }
                    }
                }
                contributions.append(
                    LayerContribution(
                        layer: layer.index, native: nil,
                        wide: Patch(values: partial, region: tangent.region, channels: tangent.channels)))
            } else {
                var partial: [T] = Kernels.uninitialized(stride)  // GEMM with β = 0
                z.withUnsafeBufferPointer { a in
                    tangent.values.withUnsafeBufferPointer { b in
                        partial.withUnsafeMutableBufferPointer { c in
                            BLAS.gemm(m: 1, n: stride, k: z.count, a: a, b: b, c: c)
                        }
                    }
                }
                contributions.append(
                    LayerContribution(
                        layer: layer.index,
                        native: Patch(values: partial, region: tangent.region, channels: tangent.channels),
                        wide: nil))
            }
        }
        return ChunkContributions(contributions: contributions, flops: flops)
    }
}

/// One chunk's additions to the `ĉ` of one layer, over the region its tangents reach.
private struct LayerContribution<T: BLASScalar>: Sendable {
    var layer: Int
    var native: Patch<T>?
    var wide: Patch<Double>?
}

/// Everything one chunk of directions adds to the reconstructions.
private struct ChunkContributions<T: BLASScalar>: Sendable {
    var contributions: [LayerContribution<T>]
    var flops: Double
}

/// Running sums over units, in the working precision or (``BackMapOptions/accumulateInDouble``)
/// in `Double`.
private struct UnitSums<T: BLASScalar>: Sendable {
    var native: [T]?
    var wide: [Double]?

    init(units: Int = 0, inDouble: Bool = false) {
        if inDouble {
            wide = [Double](repeating: 0, count: units)
        } else {
            native = [T](repeating: 0, count: units)
        }
    }

    mutating func add(_ contribution: LayerContribution<T>, shape: Shape) {
        if let partial = contribution.wide {
            partial.add(into: &wide, shape: shape)
        } else if let partial = contribution.native {
            partial.add(into: &native, shape: shape)
        }
    }

    /// The sums in the working precision.
    var values: [T] { wide.map { $0.map { T($0) } } ?? native ?? [] }
}

/// The sums of one layer: all of `ĉ`, the image's share (the sums after the last image
/// chunk) and the biases' share.
private struct LayerSums<T: BLASScalar>: Sendable {
    var total: UnitSums<T>
    var image: UnitSums<T>
    var bias: UnitSums<T>

    init(units: Int, inDouble: Bool) {
        total = UnitSums(units: units, inDouble: inDouble)
        image = total
        bias = total
    }

    mutating func add(_ contribution: LayerContribution<T>, isBias: Bool, shape: Shape) {
        total.add(contribution, shape: shape)
        if isBias { bias.add(contribution, shape: shape) }
    }
}
