/// The shape of one feature map: height × width × channels, stored channel-last (HWC).
///
/// A vector of `n` features (the output of a dense layer or of global average pooling) has
/// shape `1 × 1 × n`. Element `(row, column, channel)` lives at
/// `(row · width + column) · channels + channel`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public var height: Int
    /// Number of columns.
    public var width: Int
    /// Number of channels.
    public var channels: Int

    /// Creates a shape; every extent must be positive.
    public init(height: Int, width: Int, channels: Int) {
        precondition(height > 0 && width > 0 && channels > 0, "Shape: extents must be positive")
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// A `1 × 1 × count` vector shape.
    public static func vector(_ count: Int) -> Shape {
        Shape(height: 1, width: 1, channels: count)
    }

    /// Number of elements.
    public var count: Int { height * width * channels }

    /// Number of spatial positions (`height · width`).
    public var positions: Int { height * width }

    /// The flat HWC index of an element.
    public func index(row: Int, column: Int, channel: Int) -> Int {
        (row * width + column) * channels + channel
    }

    /// Whether `(row, column, channel)` lies inside the shape.
    public func contains(row: Int, column: Int, channel: Int) -> Bool {
        (0..<height).contains(row) && (0..<width).contains(column)
            && (0..<channels).contains(channel)
    }

    public var description: String { "\(height)×\(width)×\(channels)" }
}

/// How a convolution or pooling window treats the border of its input.
public enum Padding: Hashable, Sendable, CustomStringConvertible {
    /// TensorFlow's `SAME`: output size `ceil(input / stride)`; the total padding is split with
    /// the smaller half before (top/left) and the larger after (bottom/right).
    case tfSame
    /// `(kernel − 1) / 2` zeros on every side (PyTorch's `padding=1` for a 3×3 kernel).
    case symmetric
    /// No padding: only windows that fit entirely inside the input.
    case valid
    /// Explicit zeros on each side.
    case explicit(top: Int, bottom: Int, left: Int, right: Int)

    /// Parses the `padding` metadata value of a weight file (`tf-same`, `symmetric`, `valid`).
    public init?(metadataValue: String) {
        switch metadataValue {
        case "tf-same", "same": self = .tfSame
        case "symmetric": self = .symmetric
        case "valid": self = .valid
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .tfSame: "tf-same"
        case .symmetric: "symmetric"
        case .valid: "valid"
        case .explicit(let top, let bottom, let left, let right):
            "explicit(\(top),\(bottom),\(left),\(right))"
        }
    }

    /// Resolves the padding of one spatial axis: zeros before and the output length.
    func resolve(input: Int, kernel: Int, stride: Int, before: Int, after: Int)
        -> (before: Int, output: Int)
    {
        switch self {
        case .tfSame:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (total / 2, output)
        case .symmetric:
            let pad = (kernel - 1) / 2
            return (pad, (input + 2 * pad - kernel) / stride + 1)
        case .valid:
            return (0, (input - kernel) / stride + 1)
        case .explicit:
            return (before, (input + before + after - kernel) / stride + 1)
        }
    }
}

/// The resolved geometry of a sliding window (convolution or pooling) over one input shape.
struct WindowGeometry: Hashable, Sendable {
    var input: Shape
    var kernelHeight: Int
    var kernelWidth: Int
    var stride: Int
    var padTop: Int
    var padLeft: Int
    var outputHeight: Int
    var outputWidth: Int

    init?(input: Shape, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Padding) {
        guard kernelHeight > 0, kernelWidth > 0, stride > 0 else { return nil }
        var top = 0
        var bottom = 0
        var left = 0
        var right = 0
        if case .explicit(let t, let b, let l, let r) = padding {
            guard t >= 0, b >= 0, l >= 0, r >= 0 else { return nil }
            (top, bottom, left, right) = (t, b, l, r)
        }
        let rows = padding.resolve(
            input: input.height, kernel: kernelHeight, stride: stride, before: top, after: bottom)
        let columns = padding.resolve(
            input: input.width, kernel: kernelWidth, stride: stride, before: left, after: right)
        guard rows.output > 0, columns.output > 0 else { return nil }
        self.input = input
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padTop = rows.before
        self.padLeft = columns.before
        self.outputHeight = rows.output
        self.outputWidth = columns.output
    }

    var outputPositions: Int { outputHeight * outputWidth }

    /// Input rows covered by output row `row` (clipped to the input).
    func inputRows(ofOutputRow row: Int) -> Range<Int> {
        let start = row * stride - padTop
        return max(start, 0)..<min(start + kernelHeight, input.height)
    }

    /// Input columns covered by output column `column` (clipped to the input).
    func inputColumns(ofOutputColumn column: Int) -> Range<Int> {
        let start = column * stride - padLeft
        return max(start, 0)..<min(start + kernelWidth, input.width)
    }
}
