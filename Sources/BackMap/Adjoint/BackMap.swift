import LinearAlgebra

/// Which effective hypersurface to construct (NOTES.md §3, the paper's reconstruction modes).
///
/// `layer` indexes ``FoldedNetwork/layers`` (VGG7: 0…5 are conv0…conv5, 6 is the FC layer).
public enum Mode: Hashable, Sendable, CustomStringConvertible {
    /// One output `unit` of a dense layer (default: the classifier).
    case rm0(unit: Int, layer: Int? = nil)
    /// Out-channel `channel` summed over all positions.
    case rm1(layer: Int, channel: Int)
    /// One unit: out-channel `channel` at `(row, column)`.
    case rm2(layer: Int, channel: Int, row: Int, column: Int)
    /// Contribution of in-channel `inChannel` to out-channel `channel`, summed over positions.
    case rm3(layer: Int, inChannel: Int, channel: Int)
    /// Contribution of in-channel `inChannel` to the unit `(row, column, channel)`.
    case rm4(layer: Int, inChannel: Int, channel: Int, row: Int, column: Int)

    public var description: String {
        switch self {
        case .rm0(let unit, let layer): "RM0(layer \(layer.map(String.init) ?? "classifier"), unit \(unit))"
        case .rm1(let layer, let channel): "RM1(layer \(layer), channel \(channel))"
        case .rm2(let layer, let channel, let row, let column):
            "RM2(layer \(layer), channel \(channel), row \(row), column \(column))"
        case .rm3(let layer, let inChannel, let channel):
            "RM3(layer \(layer), in-channel \(inChannel), channel \(channel))"
        case .rm4(let layer, let inChannel, let channel, let row, let column):
            "RM4(layer \(layer), in-channel \(inChannel), channel \(channel), row \(row), column \(column))"
        }
    }
}

/// The paper's relative error (Eq. 16).
public enum RelativeError {
    /// `(ĉ − c) / c_{≠0}`, where a zero `c` is replaced by `Float.leastNormalMagnitude`.
    public static func of(reconstructed: Double, actual: Double) -> Double {
        let denominator = actual == 0 ? Double(Float.leastNormalMagnitude) : actual
        return (reconstructed - actual) / denominator
    }
}

extension FoldedNetwork {
    /// Constructs the effective hypersurface of one unit (or sum of units) by the adjoint.
    ///
    /// The activation pattern is taken from the forward pass at `z = k·[x; x_b]`; `c` comes
    /// from the forward pass at `[x; x_b]`; `ĉ` is the inner product of the hypersurface with
    /// `[x; x_b]`.
    ///
    /// - Parameters:
    ///   - image: The input `x`, HWC.
    ///   - mode: Which unit(s) and which reconstruction mode.
    ///   - options: `k`, own-bias handling, accumulation precision.
    /// - Throws: ``BackMapError`` when the layer, unit or image size is invalid.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backMap(_ image: [T], mode: Mode, options: BackMapOptions = .init())
        throws -> HyperSurface<T>
    {
        let request = try resolve(mode)
        // Only the nodes up to the layer (and its own bias) are needed; for one position
        // (RM2, RM4) only its receptive cone, which is also all its adjoint reads.
        let lastNode = request.layer.ownBiasNode ?? request.layer.node
        var regions: [Region?]?
        switch mode {
        case .rm2(_, _, let row, let column), .rm4(_, _, _, let row, let column):
            regions = neededRegions(
                from: lastNode, at: Region(rows: row..<(row + 1), columns: column..<(column + 1)))
        default:
            regions = nil
        }
        return try analysis(of: image, options: options, through: lastNode, regions: regions)
            .backMap(mode)
    }

    /// Constructs several hypersurfaces that share one pair of forward passes.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backMaps(_ image: [T], modes: [Mode], options: BackMapOptions = .init())
        throws -> [HyperSurface<T>]
    {
        let requests = try modes.map(resolve)
        let lastNode = requests.map { $0.layer.ownBiasNode ?? $0.layer.node }.max() ?? 0
        let analysis = try analysis(of: image, options: options, through: lastNode)
        return try modes.map(analysis.backMap)
    }

    /// Applies the transposed Jacobian of node `start` (with respect to `[x; x_b]`) to a batch
    /// of seeds, returning `H^I` (`batch × inputCount`) and `H^b` (`batch × biasCount`).
    ///
    /// - Parameter inChannel: When `start` is a convolution, keep only this input channel of
    ///   its transpose (RM3/RM4: the contribution of one in-channel).
    func pullback(
        seeds: [T], at start: Int, batch: Int, pass: ForwardPass<T>, inChannel: Int? = nil
    ) -> (image: [T], bias: [T]) {
        let biasCount = biasValues.count
        var biasGradient = [T](repeating: 0, count: batch * biasCount)
        var gradients = [Patch<T>?](repeating: nil, count: nodes.count)
        gradients[start] = Patch.cropping(seeds, shape: nodes[start].shape, batch: batch)
        for index in stride(from: start, to: 0, by: -1) {
            guard let gradient = gradients[index] else { continue }
            gradients[index] = nil
            let node = nodes[index]
            node.operation.accumulateBiasGradient(
                gradient, batch: batch, into: &biasGradient, biasCount: biasCount)
            var inputGradients = applyTransposed(index, gradient: gradient, batch: batch, pass: pass)
            if index == start, let inChannel, node.operation.layerKind == .convolution,
                var restricted = inputGradients[0]
            {
                for i in restricted.values.indices where i % restricted.channels != inChannel {
                    restricted.values[i] = 0
                }
                inputGradients[0] = restricted
            }
            for (input, inputGradient) in zip(node.inputs, inputGradients) {
                guard let inputGradient else { continue }
                if var sum = gradients[input] {
                    gradients[input] = nil
                    let region = sum.region.union(inputGradient.region)
                    sum = sum.embedded(in: region, batch: batch)
                    Kernels.accumulate(
                        &sum.values, inputGradient.embedded(in: region, batch: batch).values)
                    gradients[input] = sum
                } else {
                    gradients[input] = inputGradient
                }
            }
        }
        let image =
            gradients[0]?.dense(shape: inputShape, batch: batch)
            ?? [T](repeating: 0, count: batch * inputShape.count)
        return (image, biasGradient)
    }
}

// MARK: - Mode resolution

struct BackMapRequest {
    var mode: Mode
    var layer: Layer
    /// Seed on the layer's output.
    var seed: [Double]
    var inChannel: Int?
}

extension FoldedNetwork {
    func resolve(_ mode: Mode) throws -> BackMapRequest {
        func layer(_ index: Int, _ kind: Layer.Kind) throws -> Layer {
            guard layers.indices.contains(index) else {
                throw BackMapError.layerOutOfRange(layer: index, layerCount: layers.count, mode: mode)
            }
            guard layers[index].kind == kind else {
                throw BackMapError.wrongLayerKind(
                    mode: mode, layer: index, name: layers[index].name, kind: layers[index].kind,
                    needed: kind)
            }
            return layers[index]
        }
        func check(_ value: Int, _ range: Int, _ what: BackMapError.Coordinate) throws {
            guard (0..<range).contains(value) else {
                throw BackMapError.coordinateOutOfRange(
                    mode: mode, coordinate: what, value: value, bound: range)
            }
        }
        switch mode {
        case .rm0(let unit, let index):
            guard let target = try index.map({ try layer($0, .dense) }) ?? classifier else {
                throw BackMapError.noDenseLayer(mode: mode)
            }
            try check(unit, target.units, .unit)
            var seed = [Double](repeating: 0, count: target.units)
            seed[unit] = 1
            return BackMapRequest(mode: mode, layer: target, seed: seed, inChannel: nil)
        case .rm1(let index, let channel), .rm3(let index, _, let channel):
            let target = try layer(index, .convolution)
            try check(channel, target.shape.channels, .channel)
            var seed = [Double](repeating: 0, count: target.units)
            for position in 0..<target.shape.positions {
                seed[position * target.shape.channels + channel] = 1
            }
            var inChannel: Int?
            if case .rm3(_, let j, _) = mode {
                try check(j, target.inputShape.channels, .inChannel)
                inChannel = j
            }
            return BackMapRequest(mode: mode, layer: target, seed: seed, inChannel: inChannel)
        case .rm2(let index, let channel, let row, let column),
            .rm4(let index, _, let channel, let row, let column):
            let target = try layer(index, .convolution)
            try check(channel, target.shape.channels, .channel)
            try check(row, target.shape.height, .row)
            try check(column, target.shape.width, .column)
            var seed = [Double](repeating: 0, count: target.units)
            seed[target.shape.index(row: row, column: column, channel: channel)] = 1
            var inChannel: Int?
            if case .rm4(_, let j, _, _, _) = mode {
                try check(j, target.inputShape.channels, .inChannel)
                inChannel = j
            }
            return BackMapRequest(mode: mode, layer: target, seed: seed, inChannel: inChannel)
        }
    }

    func makeHyperSurface(
        _ image: [T], request: BackMapRequest, pattern: ForwardPass<T>,
        actualPass: ForwardPass<T>, options: BackMapOptions
    ) -> HyperSurface<T> {
        let layer = request.layer
        let seed = request.seed.map { T($0) }
        var (imageMap, biasMap) = pullback(
            seeds: seed, at: layer.node, batch: 1, pass: pattern, inChannel: request.inChannel)
        var actual: Double
        if let inChannel = request.inChannel {
            // The in-channel's share of the unit: the transposed, channel-restricted kernel
            // applied to the layer's actual input.
            let seedPatch =
                Patch.cropping(seed, shape: layer.shape, batch: 1) ?? .full(seed, shape: layer.shape)
            let transposed = applyTransposed(
                layer.node, gradient: seedPatch, batch: 1, pass: actualPass)
            var inputSeed =
                transposed[0]?.dense(shape: layer.inputShape, batch: 1)
                ?? [T](repeating: 0, count: layer.inputShape.count)
            let channels = layer.inputShape.channels
            for i in inputSeed.indices where i % channels != inChannel { inputSeed[i] = 0 }
            actual = Dot.double(inputSeed, actualPass.value(at: nodes[layer.node].inputs[0]))
        } else {
            actual = Dot.double(seed, actualPass.value(at: layer.node))
        }
        let includeBias = options.includeOwnBias && request.inChannel == nil
        if includeBias, let biasNode = layer.ownBiasNode {
            actual = Dot.double(seed, actualPass.value(at: biasNode))
            for (unit, weight) in seed.enumerated() where weight != 0 {
                if let entry = layer.ownBiasEntry(ofUnit: unit) { biasMap[entry] += weight }
            }
        }
        let imagePart: T
        let biasPart: T
        if options.accumulateInDouble {
            imagePart = T(Dot.double(image, imageMap))
            biasPart = T(Dot.double(biasValues, biasMap))
        } else {
            imagePart = Dot.native(image, imageMap)
            biasPart = Dot.native(biasValues, biasMap)
        }
        if imageMap.isEmpty { imageMap = [T](repeating: 0, count: inputShape.count) }
        return HyperSurface(
            terms: [request.mode], layerName: layer.name,
            image: FeatureMap(imageMap, shape: inputShape), bias: biasMap,
            actual: T(actual), reconstructed: imagePart + biasPart, imageContribution: imagePart,
            biasContribution: biasPart, includesOwnBias: includeBias && layer.ownBias != nil,
            scale: pattern.scale, input: FeatureMap(image, shape: inputShape),
            biasValues: biasValues, biasEntries: biasEntries,
            receptiveField: receptiveField(of: request))
    }
}

/// Inner products in the working precision or in `Double`.
enum Dot {
    static func native<T: BLASScalar>(_ a: [T], _ b: [T]) -> T {
        var sum: T = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }

    static func double<T: BLASScalar>(_ a: [T], _ b: [T]) -> Double {
        var sum = 0.0
        for i in 0..<min(a.count, b.count) { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }
}
