import LinearAlgebra

/// The result of running a ``FoldedNetwork`` on one image: every node's output (so every
/// pre-activation) and the activation pattern (rectifier slopes, max-pool selections).
public struct ForwardPass<T: BLASScalar>: Sendable {
    /// The factor `k` the joint input was scaled by (`z = k·[x; x_b]`).
    public var scale: T
    /// Output of every folded node, in node order, each in HWC layout; multiplied by
    /// ``readScale`` on reading (see ``value(at:)``).
    var values: [[T]]
    /// Factor applied to ``values`` when read: 1, or `1/k` for the pass at `[x; x_b]` derived
    /// from the pass at `z = k·[x; x_b]` (an exact rescaling when `k` is a power of two), so
    /// that only the values a back-map reads are rescaled.
    var readScale: T = 1
    /// For rectifier nodes, the derivative of each element (1 or the negative slope).
    var slopes: [[T]?]
    /// For max-pool nodes, the flat input index selected for each output element.
    var selections: [[Int32]?]

    /// The output of node `node`.
    func value(at node: Int) -> [T] {
        readScale == 1 ? values[node] : Kernels.scaled(values[node], by: readScale)
    }

    /// The output of a layer's node (the unit values before the layer's own bias), shaped
    /// like the layer.
    ///
    /// ```swift
    /// let conv3 = try network.forward(x).values(of: network.layers[3])
    /// let peak = conv3.argmax(inChannel: 5)
    /// ```
    public func values(of layer: Layer) -> FeatureMap<T> {
        FeatureMap(value(at: layer.node), shape: layer.shape)
    }

    /// The network output (the last node).
    public var output: [T] { value(at: values.count - 1) }
}

extension FoldedNetwork {
    /// Runs the network on `k·[x; x_b]`, recording every node's output and the pattern.
    ///
    /// - Parameters:
    ///   - image: The input `x`, HWC, `inputShape.count` values.
    ///   - scale: The factor `k` applied to both the image and the bias vector.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ image: [T], scale: T = 1) throws -> ForwardPass<T> {
        try forward(image, scale: scale, through: nodes.count - 1)
    }

    /// The forward pass up to node `lastNode` (later nodes get empty values).
    ///
    /// - Parameter regions: When given, the region of each node that is needed (`nil`: the node
    ///   is not needed at all; see ``neededRegions(from:at:)``). Convolutions and average pools
    ///   are then computed on those regions only, and every other value is left zero or
    ///   unspecified outside them. A single unit's back-map reads nothing else.
    func forward(_ image: [T], scale: T, through lastNode: Int, regions: [Region?]? = nil)
        throws -> ForwardPass<T>
    {
        try checkImage(image)
        var values = [[T]](repeating: [], count: nodes.count)
        var slopes = [[T]?](repeating: nil, count: nodes.count)
        var selections = [[Int32]?](repeating: nil, count: nodes.count)
        for (index, node) in nodes.enumerated() where index <= lastNode {
            if let regions, regions[index] == nil { continue }
            if let regions,
                let restricted = restrictedLinear(
                    index, values: values, regions: regions)
            {
                values[index] = restricted
                continue
            }
            switch node.operation {
            case .input:
                values[index] = scale == 1 ? image : Kernels.scaled(image, by: scale)
            case .bias(let offset, let count):
                values[index] = Kernels.addingBias(
                    values[node.inputs[0]], shape: node.shape,
                    biases: count == 1
                        ? [T](repeating: scale * biasValues[offset], count: node.shape.channels)
                        : (offset..<(offset + count)).map { scale * biasValues[$0] },
                    region: regions?[index])
            case .rectifier(let negativeSlope):
                (values[index], slopes[index]) = Kernels.rectify(
                    values[node.inputs[0]], negativeSlope: negativeSlope, shape: node.shape,
                    region: regions?[index])
            case .maxPool(let geometry):
                let (pooled, selection) = Kernels.maxPool(values[node.inputs[0]], geometry: geometry)
                values[index] = pooled
                selections[index] = selection
            default:
                values[index] = applyLinear(
                    index, inputs: node.inputs.map { values[$0] }, batch: 1, slopes: slopes,
                    selections: selections)
            }
        }
        return ForwardPass(scale: scale, values: values, slopes: slopes, selections: selections)
    }

    /// The output of a convolution or average pool computed on `regions[index]` only, from its
    /// input known on `regions[input]` (nil for other nodes and for full regions).
    private func restrictedLinear(
        _ index: Int, values: [[T]], regions: [Region?]
    ) -> [T]? {
        let node = nodes[index]
        switch node.operation {
        case .convolution, .averagePool: break
        default: return nil
        }
        let input = node.inputs[0]
        let inputShape = nodes[input].shape
        guard let outRegion = regions[index], let inRegion = regions[input],
            outRegion != .full(node.shape)
        else { return nil }
        let patch = Patch.full(values[input], shape: inputShape).cropped(
            to: inRegion, shape: inputShape, batch: 1)
        // Every window of `outRegion` lies inside `inRegion` (or outside the map), by
        // construction of the regions, so those outputs are exact.
        let result: Patch<T>?
        switch node.operation {
        case .convolution(let kernel, let geometry, let outChannels):
            result = Kernels.convolve(
                patch, batch: 1, geometry: geometry, kernel: kernel, outChannels: outChannels,
                only: outRegion)
        case .averagePool(let geometry):
            result = Kernels.averagePool(patch, batch: 1, geometry: geometry, only: outRegion)
        default:
            return nil
        }
        return result?.dense(shape: node.shape, batch: 1) ?? [T](repeating: 0, count: node.shape.count)
    }

    /// The region of every node that the value of node `lastNode` on `region` depends on
    /// (`nil`: not at all): the unit's receptive cone, node by node. A single unit's adjoint
    /// stays inside the same regions.
    func neededRegions(from lastNode: Int, at region: Region) -> [Region?] {
        var regions = [Region?](repeating: nil, count: nodes.count)
        regions[lastNode] = region
        for index in stride(from: lastNode, through: 0, by: -1) {
            guard let needed = regions[index] else { continue }
            let node = nodes[index]
            for input in node.inputs {
                let shape = nodes[input].shape
                let inputRegion: Region
                switch node.operation {
                case .convolution(_, let geometry, _), .averagePool(let geometry), .maxPool(let geometry):
                    inputRegion = geometry.inputRegion(forOutput: needed) ?? .full(shape)
                case .dense, .flatten, .globalAveragePool:
                    inputRegion = .full(shape)
                default:
                    inputRegion = needed
                }
                regions[input] = regions[input].map { $0.union(inputRegion) } ?? inputRegion
            }
        }
        return regions
    }

    func checkImage(_ image: [T]) throws {
        guard image.count == inputShape.count else {
            throw BackMapError.invalidArgument(
                "image has \(image.count) values, the network expects \(inputShape) = "
                    + "\(inputShape.count)")
        }
    }

    /// Applies the linear part of node `index` (the pattern fixed) to a batch of full maps.
    func applyLinear(
        _ index: Int, inputs: [[T]], batch: Int, slopes: [[T]?], selections: [[Int32]?]
    ) -> [T] {
        let patches = zip(inputs, nodes[index].inputs).map { values, input in
            Optional(Patch.full(values, shape: nodes[input].shape))
        }
        guard
            let result = applyLinear(
                index, inputs: patches, batch: batch, slopes: slopes, selections: selections)
        else { return [T](repeating: 0, count: batch * nodes[index].shape.count) }
        return result.dense(shape: nodes[index].shape, batch: batch)
    }

    /// Applies the linear part of node `index` to a batch of patches (`nil`: identically zero).
    ///
    /// Bias nodes pass their input through unchanged here; rectifiers and max pools use the
    /// recorded pattern. Returns `nil` when the result is identically zero.
    func applyLinear(
        _ index: Int, inputs: [Patch<T>?], batch: Int, slopes: [[T]?], selections: [[Int32]?]
    ) -> Patch<T>? {
        let node = nodes[index]
        let inputShapes = node.inputs.map { nodes[$0].shape }
        switch node.operation {
        case .add:
            let present = inputs.compactMap { $0 }
            guard let first = present.first else { return nil }
            let region = present.dropFirst().reduce(first.region) { $0.union($1.region) }
            var sum = first.embedded(in: region, batch: batch)
            for other in present.dropFirst() {
                Kernels.accumulate(&sum.values, other.embedded(in: region, batch: batch).values)
            }
            return sum
        case .concatenate:
            let present = inputs.compactMap { $0 }
            guard let first = present.first else { return nil }
            let region = present.dropFirst().reduce(first.region) { $0.union($1.region) }
            let channels = inputShapes.map(\.channels)
            let offsets = channels.indices.map { channels[..<$0].reduce(0, +) }
            let values = Kernels.interleave(
                inputs.map { $0?.embedded(in: region, batch: batch).values }, channels: channels,
                offsets: offsets, outChannels: node.shape.channels, positions: region.positions,
                batch: batch)
            return Patch(values: values, region: region, channels: node.shape.channels)
        default:
            break
        }
        guard let input = inputs.first ?? nil else { return nil }
        let inputShape = inputShapes[0]
        switch node.operation {
        case .input, .add, .concatenate:
            preconditionFailure("handled above or without a linear part")
        case .convolution(let kernel, let geometry, let outChannels):
            return Kernels.convolve(
                input, batch: batch, geometry: geometry, kernel: kernel, outChannels: outChannels)
        case .dense(let weight, let inFeatures, let outFeatures):
            let values = Kernels.dense(
                input.dense(shape: inputShape, batch: batch), batch: batch, weight: weight,
                inFeatures: inFeatures, outFeatures: outFeatures)
            return .full(values, shape: node.shape)
        case .channelScale(let factors):
            var result = input
            result.values = Kernels.scaleChannels(input.values, by: factors)
            return result
        case .bias:
            return input
        case .flatten:
            return .full(input.dense(shape: inputShape, batch: batch), shape: node.shape)
        case .rectifier:
            guard let slope = slopes[index] else { preconditionFailure("no recorded pattern") }
            return Kernels.multiply(input, batch: batch, by: slope, shape: inputShape)
        case .averagePool(let geometry):
            return Kernels.averagePool(input, batch: batch, geometry: geometry)
        case .maxPool:
            guard let selection = selections[index] else {
                preconditionFailure("no recorded max-pool selection")
            }
            let values = Kernels.gather(
                input.dense(shape: inputShape, batch: batch), batch: batch,
                inputCount: inputShape.count, selection: selection)
            return .full(values, shape: node.shape)
        case .globalAveragePool:
            let values = Kernels.globalAveragePool(
                input.dense(shape: inputShape, batch: batch), batch: batch, shape: inputShape)
            return .full(values, shape: node.shape)
        case .channelPadding(let extra):
            let values = Kernels.interleave(
                [input.values], channels: [inputShape.channels], offsets: [0],
                outChannels: inputShape.channels + extra, positions: input.region.positions,
                batch: batch)
            return Patch(values: values, region: input.region, channels: node.shape.channels)
        }
    }

    /// Applies the transpose of node `index`'s linear part to a batch of output gradients,
    /// returning one gradient per input (`nil`: identically zero).
    func applyTransposed(
        _ index: Int, gradient: Patch<T>, batch: Int, pass: ForwardPass<T>
    ) -> [Patch<T>?] {
        let node = nodes[index]
        let inputShapes = node.inputs.map { nodes[$0].shape }
        switch node.operation {
        case .input:
            preconditionFailure("the input node has no linear part")
        case .convolution(let kernel, let geometry, let outChannels):
            if let transposed = transposedConvolutions[index] {
                return [
                    Kernels.convolve(
                        gradient, batch: batch, geometry: transposed.geometry,
                        kernel: transposed.kernel, outChannels: transposed.outChannels)
                ]
            }
            return [
                Kernels.convolveTransposed(
                    gradient, batch: batch, geometry: geometry, kernel: kernel,
                    outChannels: outChannels)
            ]
        case .dense(let weight, let inFeatures, let outFeatures):
            let values = Kernels.denseTransposed(
                gradient.dense(shape: node.shape, batch: batch), batch: batch, weight: weight,
                inFeatures: inFeatures, outFeatures: outFeatures)
            return [.full(values, shape: inputShapes[0])]
        case .channelScale(let factors):
            var result = gradient
            result.values = Kernels.scaleChannels(gradient.values, by: factors)
            return [result]
        case .bias:
            return [gradient]
        case .flatten:
            return [.full(gradient.dense(shape: node.shape, batch: batch), shape: inputShapes[0])]
        case .rectifier:
            guard let slope = pass.slopes[index] else { preconditionFailure("no recorded pattern") }
            return [Kernels.multiply(gradient, batch: batch, by: slope, shape: node.shape)]
        case .averagePool(let geometry):
            return [Kernels.averagePoolTransposed(gradient, batch: batch, geometry: geometry)]
        case .maxPool:
            guard let selection = pass.selections[index] else {
                preconditionFailure("no recorded max-pool selection")
            }
            let values = Kernels.scatter(
                gradient.dense(shape: node.shape, batch: batch), batch: batch,
                inputCount: inputShapes[0].count, selection: selection)
            return [.full(values, shape: inputShapes[0])]
        case .globalAveragePool:
            let values = Kernels.globalAveragePoolTransposed(
                gradient.dense(shape: node.shape, batch: batch), batch: batch,
                shape: inputShapes[0])
            return [.full(values, shape: inputShapes[0])]
        case .channelPadding:
            let width = inputShapes[0].channels
            let values = Kernels.extract(
                gradient.values, offset: 0, width: width, inChannels: node.shape.channels,
                positions: gradient.region.positions, batch: batch)
            return [Patch(values: values, region: gradient.region, channels: width)]
        case .add:
            return node.inputs.map { _ in gradient }
        case .concatenate:
            var offset = 0
            return inputShapes.map { shape in
                defer { offset += shape.channels }
                let values = Kernels.extract(
                    gradient.values, offset: offset, width: shape.channels,
                    inChannels: node.shape.channels, positions: gradient.region.positions,
                    batch: batch)
                return Patch(values: values, region: gradient.region, channels: shape.channels)
            }
        }
    }
}
