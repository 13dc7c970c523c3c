import BackMap

/// The largest padding, window or dilation the importer accepts (larger values in a corrupt file
/// would overflow the engine's size arithmetic).
let maximumPadding = 1 << 12

extension Translator {
    /// The padding of a convolution or pooling window: explicit `pads`, `VALID`, `SAME_UPPER`
    /// or `SAME_LOWER` (resolved to explicit zeros for this input), plus the zeros of a
    /// preceding `Pad` (`extra`: top, bottom, left, right).
    func windowPadding(
        _ node: ONNXNode, input: Shape, kernel: (height: Int, width: Int), stride: Int,
        extra: [Int] = [0, 0, 0, 0]
    ) throws -> Padding {
        let autoPad = try node.string("auto_pad", default: "NOTSET", file: file)
        var pads = [0, 0, 0, 0]  // top, bottom, left, right
        switch autoPad {
        case "NOTSET":
            let given = try node.ints("pads", default: [0, 0, 0, 0], file: file) ?? []
            guard given.count == 4, given.allSatisfy({ (0...maximumPadding).contains($0) }) else {
                throw node.error(
                    .unsupportedAttribute, file, field: "pads", "\(given): expected 4 non-negative values")
            }
            pads = [given[0], given[2], given[1], given[3]]
        case "VALID":
            break
        case "SAME_UPPER", "SAME_LOWER":
            // SAME is resolved on the input as ONNX sees it: after the zeros of a preceding Pad.
            let lower = autoPad == "SAME_LOWER"
            let rows = Self.same(
                input: input.height + extra[0] + extra[1], kernel: kernel.height, stride: stride, lower: lower
            )
            let columns = Self.same(
                input: input.width + extra[2] + extra[3], kernel: kernel.width, stride: stride, lower: lower)
            pads = [rows.before, rows.after, columns.before, columns.after]
        default:
            throw node.error(
                .unsupportedAttribute, file, field: "auto_pad",
                "'\(autoPad)' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
        }
        pads = zip(pads, extra).map { $0 + $1 }
        if try node.int("ceil_mode", default: 0, file: file) != 0 {
            let rowsExact = (input.height + pads[0] + pads[1] - kernel.height) % stride == 0
            let columnsExact = (input.width + pads[2] + pads[3] - kernel.width) % stride == 0
            guard rowsExact && columnsExact else {
                throw node.error(
                    .unsupportedAttribute, file, field: "ceil_mode",
                    "ceil_mode 1 changes the output size here; export with ceil_mode=False")
            }
        }
        if pads == [0, 0, 0, 0] { return .valid }
        return .explicit(top: pads[0], bottom: pads[1], left: pads[2], right: pads[3])
    }

    /// ONNX's SAME padding of one axis: output `ceil(input / stride)`; the odd zero goes after
    /// (`SAME_UPPER`, TensorFlow's SAME) or before (`SAME_LOWER`).
    static func same(input: Int, kernel: Int, stride: Int, lower: Bool) -> (before: Int, after: Int) {
        let output = (input + stride - 1) / stride
        let total = max((output - 1) * stride + kernel - input, 0)
        let small = total / 2
        return lower ? (total - small, small) : (small, total - small)
    }

    /// `Pad` with zeros: spatial zeros wait for the convolution that reads them; zeros after the
    /// last channel become the engine's channel padding.
    mutating func pad(_ node: ONNXNode) throws {
        try node.checkAttributes(["mode"], file: file)
        guard try node.string("mode", default: "constant", file: file) == "constant" else {
            throw node.error(
                .unsupportedAttribute, file, field: "mode", "only constant (zero) padding is supported")
        }
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            let value = try constant(node.inputs[2], for: node, field: "constant_value")
            guard value.values.allSatisfy({ $0 == 0 }) else {
                throw node.error(
                    .unsupportedAttribute, file, field: "constant_value",
                    "padding with \(value.values), not zeros")
            }
        }
        if node.inputs.count > 3, !node.inputs[3].isEmpty {
            throw node.error(.unsupportedAttribute, file, field: "axes", "Pad with axes is not supported")
        }
        guard node.inputs.count > 1 else {
            throw node.error(.invalidModel, file, field: "pads", "missing pads input")
        }
        let given = try integerConstant(node.inputs[1], for: node, field: "pads")
        var (base, pads) = (Placed(node: 0, layout: .nchw), [0, 0, 0, 0])
        if case .pending(.pad(let b, let p, _))? = values[node.inputs[0]] {
            (base, pads) = (b, p)
        } else {
            base = try placed(node.inputs[0], for: node)
        }
        let axes: (channel: Int, row: Int, column: Int)
        switch base.layout {
        case .nchw: axes = (1, 2, 3)
        case .nhwc: axes = (3, 1, 2)
        default: throw node.error(.unsupportedShape, file, "Pad of a \(base.layout) tensor")
        }
        guard given.count == 8, given.allSatisfy({ (0...maximumPadding).contains($0) }), given[0] == 0,
            given[4] == 0,
            given[axes.channel] == 0
        else {
            throw node.error(
                .unsupportedAttribute, file, field: "pads",
                "\(given): expected 8 non-negative values, no batch padding, no channels before")
        }
        let spatial = [given[axes.row], given[axes.row + 4], given[axes.column], given[axes.column + 4]]
        let channels = given[axes.channel + 4]
        if channels > 0 {
            guard spatial == [0, 0, 0, 0], pads == [0, 0, 0, 0] else {
                throw node.error(
                    .unsupportedAttribute, file, field: "pads", "pads channels and positions at once")
            }
            let index = try add(node.name, .channelPadding(extra: channels), inputs: [base.node], for: node)
            define(node, Placed(node: index, layout: base.layout))
            note(node, "\(channels) zero channels appended")
            return
        }
        values[node.outputs[0]] = .pending(
            .pad(base: base, pads: zip(pads, spatial).map { $0 + $1 }, node: node.name))
        note(
            node,
            "zero padding \(spatial) (top, bottom, left, right), merged into the convolution that reads it")
    }
}
