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
        guard groups > 0, inChannels % groups == 0, outChannels % groups == 0, outChannels > 0 else {
            throw NetworkError(
                node: node,
                message: "\(groups) groups do not divide \(inChannels) in and \(outChannels) out channels")
        }
        return try Convolution<T>.outputShape(
            inputs: inputs, node: node, inChannels: inChannels, outChannels: outChannels,
            kernelCount: kernel.count,
            expectedKernelCount: kernelHeight * kernelWidth * (inChannels / groups) * outChannels,
            biasCount: bias?.count, window: "\(kernelHeight)×\(kernelWidth)", geometry: geometry(on:))
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
        try builder.foldKernel(
            index, input: inputs[0], kernel: kernel, bias: bias, outChannels: outChannels
        ) { kernel, input in
            let group = Shape(height: input.height, width: input.width, channels: inChannels / groups)
            return geometry(on: group).map {
                FoldedGroupedConvolution(
                    kernel: kernel, groupGeometry: $0, outChannels: outChannels, groups: groups)
            }
        }
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

    /// Applies `body` to each group's block of `width` channels of `patch` and interleaves
    /// the results (`resultWidth` channels each, on one common region) into `resultChannels`
    /// channels; nil when the result is identically zero.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func eachGroup(
        _ patch: Patch<T>, batch: Int, width: Int, resultWidth: Int, resultChannels: Int,
        _ body: (Int, Patch<T>) -> Patch<T>?
    ) -> Patch<T>? {
        var parts: [[T]?] = []
        var region: Region?
        for group in 0..<groups {
            let values = Kernels.extract(
                patch.values, offset: group * width, width: width, inChannels: patch.channels,
                positions: patch.region.positions, batch: batch)
            let part = body(group, Patch(values: values, region: patch.region, channels: width))
            region = part?.region
            parts.append(part?.values)
        }
        guard let region else { return nil }
        let values = Kernels.interleave(
            parts, channels: Array(repeating: resultWidth, count: groups),
            offsets: (0..<groups).map { $0 * resultWidth }, outChannels: resultChannels,
            positions: region.positions, batch: batch)
        return Patch(values: values, region: region, channels: resultChannels)
    }

    /// Every group convolved with its kernel (on `outRegion` only, when given).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func convolveGroups(_ input: Patch<T>, batch: Int, only outRegion: Region? = nil) -> Patch<T>? {
        eachGroup(
            input, batch: batch, width: inPerGroup, resultWidth: outPerGroup, resultChannels: outChannels
        ) { group, part in
            Kernels.convolve(
                part, batch: batch, geometry: groupGeometry, kernel: groupKernels[group],
                outChannels: outPerGroup, only: outRegion)
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let (patch, only) = context.windowInput(inputs[0])
        return NodeOutput(convolveGroups(patch, batch: 1, only: only), shape: context.shapes.output)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
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
        let result = eachGroup(
            gradient, batch: batch, width: outPerGroup, resultWidth: inPerGroup,
            resultChannels: shapes.input.channels
        ) { group, part in
            Kernels.convolveTransposed(
                part, batch: batch, geometry: groupGeometry, kernel: groupKernels[group],
                outChannels: outPerGroup)
        }
        return [result]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        groupGeometry.inputRegion(forOutput: region) ?? .full(shapes.input)
    }
}
