import LinearAlgebra

/// Square-window pooling: the average of the valid (non-padded) elements, or their maximum
/// (padding never wins).
struct Pooling<T: BLASScalar>: NetworkOperation {
    /// Average or maximum.
    enum Kind { case average, maximum }

    var kind: Kind
    var window: Int
    var stride: Int
    var padding: Padding

    func geometry(on shape: Shape) -> WindowGeometry? {
        WindowGeometry(
            input: shape, kernelHeight: window, kernelWidth: window, stride: stride,
            padding: padding)
    }

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        guard let geometry = geometry(on: input) else {
            throw NetworkError(
                node: node, message: "pool window \(window) stride \(stride) does not fit \(input)")
        }
        return Shape(
            height: geometry.outputHeight, width: geometry.outputWidth, channels: input.channels)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        guard let geometry = geometry(on: shapes.input) else {
            throw NetworkError(node: node, message: "pool does not fit")
        }
        switch kind {
        case .maximum: return Kernels.maxPool(inputs[0], geometry: geometry).values
        case .average: return Kernels.averagePool(inputs[0], batch: 1, geometry: geometry)
        }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let node = builder.network.nodes[index]
        guard let geometry = inputs.first.flatMap({ geometry(on: builder.shape(of: $0)) }) else {
            throw NetworkError(node: node.name, message: "pool does not fit")
        }
        switch kind {
        case .maximum:
            return builder.append(
                node.name, FoldedMaxPool<T>(geometry: geometry), inputs: inputs, shape: node.shape)
        case .average:
            return builder.append(
                node.name, FoldedAveragePool<T>(geometry: geometry), inputs: inputs,
                shape: node.shape)
        }
    }
}

extension Operation {
    /// Average pooling that divides by the number of valid (non-padded) elements.
    public static func averagePool(window: Int, stride: Int, padding: Padding) -> Operation {
        Operation(Pooling(kind: .average, window: window, stride: stride, padding: padding))
    }

    /// Max pooling over valid elements (padding never wins).
    public static func maxPool(window: Int, stride: Int, padding: Padding) -> Operation {
        Operation(Pooling(kind: .maximum, window: window, stride: stride, padding: padding))
    }
}

/// Average pooling over valid elements (linear).
struct FoldedAveragePool<T: BLASScalar>: FoldedOperator {
    var geometry: WindowGeometry

    /// On a restricted region, every window of the output region lies inside the input's
    /// known region (or outside the map), by construction of the regions.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let shapes = context.shapes
        let result: Patch<T>?
        if let outRegion = context.region, let inRegion = context.inputRegions[0],
            outRegion != .full(shapes.output)
        {
            let patch = Patch.full(inputs[0], shape: shapes.input).cropped(
                to: inRegion, shape: shapes.input, batch: 1)
            result = Kernels.averagePool(patch, batch: 1, geometry: geometry, only: outRegion)
        } else {
            result = Kernels.averagePool(
                Patch.full(inputs[0], shape: shapes.input), batch: 1, geometry: geometry)
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
        return Kernels.averagePool(input, batch: batch, geometry: geometry)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        [Kernels.averagePoolTransposed(gradient, batch: batch, geometry: geometry)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        geometry.inputRegion(forOutput: region) ?? .full(shapes.input)
    }
}

/// Max pooling: the forward pass records the selected input of every output, which the
/// linear part gathers and the adjoint scatters.
struct FoldedMaxPool<T: BLASScalar>: FoldedOperator {
    var geometry: WindowGeometry

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let (pooled, selection) = Kernels.maxPool(inputs[0], geometry: geometry)
        return NodeOutput(values: pooled, pattern: NodePattern(selections: selection))
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        guard let selection = pattern.selections else {
            preconditionFailure("no recorded max-pool selection")
        }
        let values = Kernels.gather(
            input.dense(shape: shapes.input, batch: batch), batch: batch,
            inputCount: shapes.input.count, selection: selection)
        return .full(values, shape: shapes.output)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        guard let selection = pattern.selections else {
            preconditionFailure("no recorded max-pool selection")
        }
        let values = Kernels.scatter(
            gradient.dense(shape: shapes.output, batch: batch), batch: batch,
            inputCount: shapes.input.count, selection: selection)
        return [.full(values, shape: shapes.input)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        geometry.inputRegion(forOutput: region) ?? .full(shapes.input)
    }
}
