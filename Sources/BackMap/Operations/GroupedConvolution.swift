import LinearAlgebra

/// A 2-D convolution whose channels are split into `groups` independent groups: output
/// channel `o` reads only the input channels of its group `o / (outChannels / groups)`.
/// With `groups == inChannels == outChannels` it is a depthwise convolution (MobileNet), with
/// `groups == 1` an ordinary ``Convolution``.
public struct GroupedConvolution<T: BLASScalar>: Sendable {
    /// Kernel in `HWIO` layout with the input channels of one group:
    /// `[kernelHeight, kernelWidth, inChannels / groups, outChannels]`.
    public var kernel: [T]
    /// Kernel height.
    public var kernelHeight: Int
    /// Kernel width.
    public var kernelWidth: Int
    /// Number of input channels (all groups).
    public var inChannels: Int
    /// Number of output channels (all groups).
    public var outChannels: Int
    /// Number of groups; divides both channel counts.
    public var groups: Int
    /// Step between neighbouring windows, in both directions.
    public var stride: Int
    /// How the border is padded (with zeros).
    public var padding: Padding
    /// Optional per-output-channel bias, added after the convolution.
    public var bias: [T]?

    /// Creates a grouped convolution; `kernel.count` must equal `kh · kw · in/groups · out`.
    public init(
        kernel: [T], kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int,
        groups: Int, stride: Int = 1, padding: Padding = .tfSame, bias: [T]? = nil
    ) {
        self.kernel = kernel
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.groups = groups
        self.stride = stride
        self.padding = padding
        self.bias = bias
    }

    /// The window geometry on an input of `shape` (nil when the kernel does not fit).
    func geometry(on shape: Shape) -> WindowGeometry? {
        WindowGeometry(
            input: shape, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
            padding: padding)
    }
}

extension Operation {
    /// A grouped (with `groups == channels`: depthwise) 2-D convolution with optional bias.
    public static func groupedConvolution(_ convolution: GroupedConvolution<T>) -> Operation {
        Operation(convolution)
    }
}

extension GroupedConvolution: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        func fail(_ message: String) -> NetworkError { NetworkError(node: node, message: message) }
        let input = try NetworkError.singleInput(inputs, node: node)
        guard groups > 0, inChannels % groups == 0, outChannels % groups == 0, outChannels > 0 else {
            throw fail("\(groups) groups do not divide \(inChannels) in and \(outChannels) out channels")
        }
        guard input.channels == inChannels else {
            throw fail("kernel expects \(inChannels) input channels, input is \(input)")
        }
        let expected = kernelHeight * kernelWidth * (inChannels / groups) * outChannels
        guard kernel.count == expected else {
            throw fail("kernel has \(kernel.count) values, expected \(expected)")
        }
        if let bias, bias.count != outChannels {
            throw fail("bias has \(bias.count) values, expected \(outChannels)")
        }
        guard let geometry = geometry(on: input) else {
            throw fail("window \(kernelHeight)×\(kernelWidth) does not fit \(input)")
        }
        return Shape(height: geometry.outputHeight, width: geometry.outputWidth, channels: outChannels)
    }

    /// The reference: a direct sum over every window (independent of the folded kernels).
    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        guard let g = geometry(on: shapes.input) else {
            throw NetworkError(node: node, message: "kernel does not fit")
        }
        let input = shapes.input
        let (inPerGroup, outPerGroup) = (inChannels / groups, outChannels / groups)
        var result = [T](repeating: 0, count: shapes.output.count)
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                for o in 0..<outChannels {
                    var sum: T = bias?[o] ?? 0
                    for ky in 0..<kernelHeight {
                        let iy = oy * stride - g.padTop + ky
                        guard (0..<input.height).contains(iy) else { continue }
                        for kx in 0..<kernelWidth {
                            let ix = ox * stride - g.padLeft + kx
                            guard (0..<input.width).contains(ix) else { continue }
                            for ci in 0..<inPerGroup {
                                let channel = (o / outPerGroup) * inPerGroup + ci
                                let weight = kernel[
                                    ((ky * kernelWidth + kx) * inPerGroup + ci) * outChannels + o]
                                sum += inputs[0][input.index(row: iy, column: ix, channel: channel)] * weight
                            }
                        }
                    }
                    result[shapes.output.index(row: oy, column: ox, channel: o)] = sum
                }
            }
        }
        return result
    }

    /// Folds like a ``Convolution``: following batch norms and multipliers go into the kernel
    /// (output channels are innermost in both), the bias becomes entries of `x_b`.
    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let name = builder.network.nodes[index].name
        var folded = AbsorbedKernel(
            kernel: kernel, bias: bias, outChannels: outChannels, biasSource: "\(name).bias")
        builder.absorbFollowers(of: index, into: &folded)
        let inputShape = builder.shape(of: inputs[0])
        guard
            let geometry = geometry(
                on: Shape(height: inputShape.height, width: inputShape.width, channels: inChannels / groups))
        else { throw NetworkError(node: name, message: "kernel does not fit its input") }
        let result = builder.append(
            name,
            FoldedGroupedConvolution(
                kernel: folded.kernel, groupGeometry: geometry, outChannels: outChannels,
                groups: groups),
            inputs: inputs, shape: builder.network.nodes[index].shape)
        guard let bias = folded.bias else { return result }
        return builder.appendBias(folded.biasSource, bias, perChannel: true, input: result)
    }
}

/// A grouped convolution without bias: each group is an ordinary convolution on its block of
/// input channels (the concrete convolution kernels), whose outputs are interleaved.
struct FoldedGroupedConvolution<T: BLASScalar>: FoldedOperator {
    /// Per group, `[kernelHeight, kernelWidth, inChannels / groups, outChannels / groups]`.
    var groupKernels: [[T]]
    /// The geometry of one group (its input has `inChannels / groups` channels).
    var groupGeometry: WindowGeometry
    var outChannels: Int
    var groups: Int

    init(kernel: [T], groupGeometry: WindowGeometry, outChannels: Int, groups: Int) {
        let outPerGroup = outChannels / groups
        let taps = kernel.count / outChannels
        groupKernels = (0..<groups).map { group in
            (0..<(taps * outPerGroup)).map { i in
                kernel[(i / outPerGroup) * outChannels + group * outPerGroup + i % outPerGroup]
            }
        }
        self.groupGeometry = groupGeometry
        self.outChannels = outChannels
        self.groups = groups
    }

    var inPerGroup: Int { groupGeometry.input.channels }
    var outPerGroup: Int { outChannels / groups }

    var layerKind: Layer.Kind? { .convolution }

    var productFlops: Double {
        let depth = groupGeometry.kernelHeight * groupGeometry.kernelWidth * inPerGroup
        return 2 * Double(groupGeometry.outputPositions * depth * outChannels)
    }

    /// Convolves every group of `input` (optionally on `outRegion` only) and interleaves the
    /// groups' outputs; nil when the result is identically zero.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func convolveGroups(_ input: Patch<T>, batch: Int, only outRegion: Region? = nil) -> Patch<T>? {
        let inChannels = input.channels
        var parts: [[T]?] = []
        var region: Region?
        for group in 0..<groups {
            let values = Kernels.extract(
                input.values, offset: group * inPerGroup, width: inPerGroup,
                inChannels: inChannels, positions: input.region.positions, batch: batch)
            let part = Kernels.convolve(
                Patch(values: values, region: input.region, channels: inPerGroup), batch: batch,
                geometry: groupGeometry, kernel: groupKernels[group], outChannels: outPerGroup,
                only: outRegion)
            region = part?.region
            parts.append(part?.values)
        }
        guard let region else { return nil }
        let values = Kernels.interleave(
            parts, channels: Array(repeating: outPerGroup, count: groups),
            offsets: (0..<groups).map { $0 * outPerGroup }, outChannels: outChannels,
            positions: region.positions, batch: batch)
        return Patch(values: values, region: region, channels: outChannels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let shapes = context.shapes
        var patch = Patch.full(inputs[0], shape: shapes.input)
        var outRegion: Region?
        if let region = context.region, let inRegion = context.inputRegions[0],
            region != .full(shapes.output)
        {
            patch = patch.cropped(to: inRegion, shape: shapes.input, batch: 1)
            outRegion = region
        }
        let result = convolveGroups(patch, batch: 1, only: outRegion)
        return NodeOutput(
            values: result?.dense(shape: shapes.output, batch: 1)
                ?? [T](repeating: 0, count: shapes.output.count))
    }

    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        return convolveGroups(input, batch: batch)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        var parts: [[T]?] = []
        var region: Region?
        for group in 0..<groups {
            let values = Kernels.extract(
                gradient.values, offset: group * outPerGroup, width: outPerGroup,
                inChannels: outChannels, positions: gradient.region.positions, batch: batch)
            let part = Kernels.convolveTransposed(
                Patch(values: values, region: gradient.region, channels: outPerGroup), batch: batch,
                geometry: groupGeometry, kernel: groupKernels[group], outChannels: outPerGroup)
            region = part?.region
            parts.append(part?.values)
        }
        guard let region else { return [nil] }
        let values = Kernels.interleave(
            parts, channels: Array(repeating: inPerGroup, count: groups),
            offsets: (0..<groups).map { $0 * inPerGroup }, outChannels: shapes.input.channels,
            positions: region.positions, batch: batch)
        return [Patch(values: values, region: region, channels: shapes.input.channels)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        groupGeometry.inputRegion(forOutput: region) ?? .full(shapes.input)
    }
}
