import LinearAlgebra

/// The weights of a 2-D convolution.
public struct Convolution<T: BLASScalar>: Sendable {
    /// Kernel in `HWIO` layout: `[kernelHeight, kernelWidth, inChannels, outChannels]`.
    public var kernel: [T]
    /// Kernel height.
    public var kernelHeight: Int
    /// Kernel width.
    public var kernelWidth: Int
    /// Number of input channels.
    public var inChannels: Int
    /// Number of output channels.
    public var outChannels: Int
    /// Step between neighbouring windows, in both directions.
    public var stride: Int
    /// How the border is padded (with zeros).
    public var padding: Padding
    /// Optional per-output-channel bias, added after the convolution.
    public var bias: [T]?

    /// Creates a convolution; `kernel.count` must equal `kh · kw · in · out`.
    public init(
        kernel: [T], kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int,
        stride: Int = 1, padding: Padding = .tfSame, bias: [T]? = nil
    ) {
        self.kernel = kernel
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.inChannels = inChannels
        self.outChannels = outChannels
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
    /// 2-D convolution with optional per-channel bias.
    public static func convolution(_ convolution: Convolution<T>) -> Operation {
        Operation(convolution)
    }
}

extension Convolution: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        func fail(_ message: String) -> NetworkError { NetworkError(node: node, message: message) }
        let input = try NetworkError.singleInput(inputs, node: node)
        guard input.channels == inChannels else {
            throw fail("kernel expects \(inChannels) input channels, input is \(input)")
        }
        let expected = kernelHeight * kernelWidth * inChannels * outChannels
        guard kernel.count == expected, outChannels > 0 else {
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

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        guard let geometry = geometry(on: shapes.input) else {
            throw NetworkError(node: node, message: "kernel does not fit")
        }
        var result = Kernels.convolve(
            inputs[0], batch: 1, geometry: geometry, kernel: kernel, outChannels: outChannels)
        if let bias {
            for i in result.indices { result[i] += bias[i % outChannels] }
        }
        return result
    }

    /// Folds the chain of single-consumer batch norms and multipliers after the convolution
    /// into its kernel and bias (Eq. 7); the bias becomes entries of `x_b`.
    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let name = builder.network.nodes[index].name
        var folded = AbsorbedKernel(
            kernel: kernel, bias: bias, outChannels: outChannels, biasSource: "\(name).bias")
        builder.absorbFollowers(of: index, into: &folded)
        guard let geometry = geometry(on: builder.shape(of: inputs[0])) else {
            throw NetworkError(node: name, message: "kernel does not fit its input")
        }
        let result = builder.append(
            name,
            FoldedConvolution(kernel: folded.kernel, geometry: geometry, outChannels: outChannels),
            inputs: inputs, shape: builder.network.nodes[index].shape)
        guard let bias = folded.bias else { return result }
        return builder.appendBias(folded.biasSource, bias, perChannel: true, input: result)
    }
}

/// A convolution without bias (batch norm and multipliers already folded into the kernel).
struct FoldedConvolution<T: BLASScalar>: FoldedOperator {
    var kernel: [T]
    var geometry: WindowGeometry
    var outChannels: Int
    /// For stride-1 convolutions with enough input channels: the transpose as a convolution
    /// of its own, so the adjoint is an im2col GEMM with a deep inner dimension and no scatter.
    var transposed: TransposedConvolution<T>?

    init(kernel: [T], geometry: WindowGeometry, outChannels: Int) {
        self.kernel = kernel
        self.geometry = geometry
        self.outChannels = outChannels
        // With few input channels (conv0: RGB) the flipped-kernel product would be a GEMM
        // with n = 3 columns, which runs far below peak; the scatter form (n = kh·kw·c_in)
        // is faster there (VGG7 conv0's adjoint: 132 µs flipped).
        if geometry.input.channels >= TransposedConvolution<T>.minimumOutChannels {
            transposed = TransposedConvolution(
                kernel: kernel, geometry: geometry, outChannels: outChannels)
        }
    }

    var layerKind: Layer.Kind? { .convolution }

    var productFlops: Double {
        let depth = geometry.kernelHeight * geometry.kernelWidth * geometry.input.channels
        return 2 * Double(geometry.outputPositions * depth * outChannels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let shapes = context.shapes
        let result: Patch<T>?
        // On a restricted region, every window of the output region lies inside the input's
        // known region (or outside the map), by construction of the regions.
        if let outRegion = context.region, let inRegion = context.inputRegions[0],
            outRegion != .full(shapes.output)
        {
            let patch = Patch.full(inputs[0], shape: shapes.input).cropped(
                to: inRegion, shape: shapes.input, batch: 1)
            result = Kernels.convolve(
                patch, batch: 1, geometry: geometry, kernel: kernel, outChannels: outChannels,
                only: outRegion)
        } else {
            result = Kernels.convolve(
                Patch.full(inputs[0], shape: shapes.input), batch: 1, geometry: geometry,
                kernel: kernel, outChannels: outChannels)
        }
        return NodeOutput(
            values: result?.dense(shape: shapes.output, batch: 1)
                ?? [T](repeating: 0, count: shapes.output.count))
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        return Kernels.convolve(
            input, batch: batch, geometry: geometry, kernel: kernel, outChannels: outChannels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        if let transposed {
            return [
                Kernels.convolve(
                    gradient, batch: batch, geometry: transposed.geometry,
                    kernel: transposed.kernel, outChannels: transposed.outChannels)
            ]
        }
        return [
            Kernels.convolveTransposed(
                gradient, batch: batch, geometry: geometry, kernel: kernel, outChannels: outChannels)
        ]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        geometry.inputRegion(forOutput: region) ?? .full(shapes.input)
    }
}
