import LinearAlgebra

/// A fully connected layer.
public struct Dense<T: BLASScalar>: Sendable {
    /// Weights `[inFeatures, outFeatures]`, row-major.
    public var weight: [T]
    /// Number of inputs.
    public var inFeatures: Int
    /// Number of outputs.
    public var outFeatures: Int
    /// Optional bias per output.
    public var bias: [T]?

    /// Creates a dense layer; `weight.count` must equal `inFeatures · outFeatures`.
    public init(weight: [T], inFeatures: Int, outFeatures: Int, bias: [T]? = nil) {
        self.weight = weight
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
    }
}

extension Operation {
    /// Fully connected layer on the flattened input.
    public static func dense(_ dense: Dense<T>) -> Operation { Operation(dense) }
}

extension Dense: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        guard input.count == inFeatures, outFeatures > 0, weight.count == inFeatures * outFeatures
        else {
            throw NetworkError(
                node: node,
                message: "dense \(inFeatures)→\(outFeatures) with \(weight.count) "
                    + "weights does not fit input \(input)")
        }
        if let bias, bias.count != outFeatures {
            throw NetworkError(
                node: node, message: "bias has \(bias.count) values, expected \(outFeatures)")
        }
        return .vector(outFeatures)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        var result = Kernels.dense(
            inputs[0], batch: 1, weight: weight, inFeatures: inFeatures, outFeatures: outFeatures)
        if let bias {
            for i in result.indices { result[i] += bias[i] }
        }
        return result
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let name = builder.network.nodes[index].name
        let result = builder.append(
            name, FoldedDense(weight: weight, inFeatures: inFeatures, outFeatures: outFeatures),
            inputs: inputs, shape: builder.network.nodes[index].shape)
        guard let bias else { return result }
        return builder.appendBias("\(name).bias", bias, perChannel: true, input: result)
    }
}

/// A fully connected layer without bias.
struct FoldedDense<T: BLASScalar>: FoldedOperator {
    var weight: [T]
    var inFeatures: Int
    var outFeatures: Int

    var layerKind: Layer.Kind? { .dense }

    var productFlops: Double { 2 * Double(inFeatures * outFeatures) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        let values = Kernels.dense(
            input.dense(shape: shapes.input, batch: batch), batch: batch, weight: weight,
            inFeatures: inFeatures, outFeatures: outFeatures)
        return .full(values, shape: shapes.output)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        let values = Kernels.denseTransposed(
            gradient.dense(shape: shapes.output, batch: batch), batch: batch, weight: weight,
            inFeatures: inFeatures, outFeatures: outFeatures)
        return [.full(values, shape: shapes.input)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        .full(shapes.input)
    }
}
