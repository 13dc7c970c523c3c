import LinearAlgebra

/// Per-channel input normalisation `x · scale + shift`; folds into a channel scale and a bias
/// node, so the shift becomes entries of `x_b`.
struct InputAffine<T: BLASScalar>: NetworkOperation {
    var scale: [T]
    var shift: [T]

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        guard scale.count == input.channels, shift.count == input.channels else {
            throw NetworkError(
                node: node, message: "input affine needs \(input.channels) scales and shifts")
        }
        return input
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        let channels = scale.count
        return inputs[0].enumerated().map {
            $0.element * scale[$0.offset % channels] + shift[$0.offset % channels]
        }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let node = builder.network.nodes[index]
        let scaled = builder.append(
            "\(node.name).scale", FoldedChannelScale(factors: scale), inputs: inputs,
            shape: node.shape)
        return builder.appendBias(node.name, shift, perChannel: true, input: scaled)
    }
}

extension Operation {
    /// Per-channel input normalisation `x · scale + shift`; the shift becomes entries of `x_b`.
    public static func inputAffine(scale: [T], shift: [T]) -> Operation {
        Operation(InputAffine(scale: scale, shift: shift))
    }
}
