import LinearAlgebra

/// An image or a feature map: its values in channel-last (HWC) order together with its
/// ``Shape``.
///
/// This is what a hypersurface's image part (``HyperSurface/image``), a layer's values in a
/// forward pass (``ForwardPass/values(of:)``) and a CIFAR-10 image (``CIFARImage/image(as:)``)
/// are. Read it like the mathematics, by row, column and channel; it is also a flat collection
/// in HWC order, so `map.values`, `map.count` and `map[i]` reach the storage directly.
///
/// ```swift
/// let h = try vgg.network.backMap(x, mode: .rm0(unit: 3))
/// let red = h.image.channel(0)                // the 32×32 plane of the red channel
/// let strongest = h.image.argmax()            // Location(row:column:channel:) of the maximum
/// let perChannel = h.image.sumOverPositions() // [Σ_s H^I_{s,0}, Σ_s H^I_{s,1}, Σ_s H^I_{s,2}]
/// let value = h.image[4, 7, 2]                // row 4, column 7, blue
/// ```
public struct FeatureMap<T: BLASScalar>: Hashable, Sendable, RandomAccessCollection,
    CustomStringConvertible
{
    /// The values, `shape.count` of them, element `(row, column, channel)` at
    /// ``Shape/index(row:column:channel:)``.
    public var values: [T] {
        @inlinable get { storage }
    }
    /// The storage behind ``values`` (inlinable accessors read it directly, so that notebook
    /// loops over a map run as fast as over an array).
    @usableFromInline var storage: [T]
    /// Height, width and number of channels.
    public let shape: Shape

    /// Wraps HWC values.
    ///
    /// ```swift
    /// let plane = FeatureMap([1, 2, 3, 4] as [Double], shape: Shape(height: 2, width: 2, channels: 1))
    /// ```
    /// - Precondition: `values.count == shape.count`.
    @inlinable public init(_ values: [T], shape: Shape) {
        precondition(
            values.count == shape.count,
            "FeatureMap: \(values.count) values do not fill a \(shape) map (\(shape.count))")
        self.storage = values
        self.shape = shape
    }

    /// A map with every element equal to `value`.
    ///
    /// ```swift
    /// let zeros = FeatureMap(repeating: 0.0, shape: Shape(height: 8, width: 8, channels: 96))
    /// ```
    public init(repeating value: T, shape: Shape) {
        self.init([T](repeating: value, count: shape.count), shape: shape)
    }

    /// The element at `row`, `column`, `channel` (all 0-based).
    ///
    /// ```swift
    /// let h = hyperSurface.image[16, 16, 0]  // red channel at the centre
    /// ```
    @inlinable public subscript(row: Int, column: Int, channel: Int) -> T {
        get { storage[(row * shape.width + column) * shape.channels + channel] }
        set { storage[(row * shape.width + column) * shape.channels + channel] = newValue }
    }

    /// The element at a ``Location``.
    ///
    /// ```swift
    /// let strongest = h.image[h.image.argmax()]
    /// ```
    @inlinable public subscript(location: Location) -> T {
        self[location.row, location.column, location.channel]
    }

    /// Flat index of the first element (always 0).
    @inlinable public var startIndex: Int { 0 }
    /// Flat index past the last element (`shape.count`).
    @inlinable public var endIndex: Int { storage.count }
    /// The element at flat HWC index `index`.
    @inlinable public subscript(index: Int) -> T {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// One channel as an `H × W × 1` map (the plane of a colour or of a feature channel).
    ///
    /// ```swift
    /// let green = h.image.channel(1)
    /// ```
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func channel(_ channel: Int) -> FeatureMap<T> {
        precondition((0..<shape.channels).contains(channel), "FeatureMap: no channel \(channel) in \(shape)")
        let stride = shape.channels
        let plane = (0..<shape.positions).map { values[$0 * stride + channel] }
        return FeatureMap(plane, shape: Shape(height: shape.height, width: shape.width, channels: 1))
    }

    /// The location of the largest element (the first one on ties), optionally within one
    /// channel.
    ///
    /// ```swift
    /// let peak = conv3Values.argmax(inChannel: 12)  // where channel 12 fires most
    /// ```
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func argmax(inChannel channel: Int? = nil) -> Location {
        var best: Int?
        for index in values.indices where channel == nil || index % shape.channels == channel {
            if let current = best, !(values[index] > values[current]) { continue }
            best = index
        }
        return location(ofIndex: best ?? 0)
    }

    /// The location of flat index `index`.
    ///
    /// ```swift
    /// let position = map.location(ofIndex: 100)  // (row 1, column 1, channel 1) in a 32×32×3 map
    /// ```
    public func location(ofIndex index: Int) -> Location {
        let position = index / shape.channels
        return Location(
            row: position / shape.width, column: position % shape.width, channel: index % shape.channels)
    }

    /// `Σ_s` of every channel: one total per channel, positions added in row-major order.
    ///
    /// ```swift
    /// let totals = try vgg.network.forward(x).values(of: conv3).sumOverPositions()  // 64 totals
    /// ```
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func sumOverPositions() -> [T] {
        var totals = [T](repeating: 0, count: shape.channels)
        for (index, value) in values.enumerated() { totals[index % shape.channels] += value }
        return totals
    }

    /// `Σ_j` over the channels at every position, as an `H × W × 1` map.
    ///
    /// ```swift
    /// let luminance = h.image.sumOverChannels()
    /// ```
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func sumOverChannels() -> FeatureMap<T> {
        var sums = [T](repeating: 0, count: shape.positions)
        for (index, value) in values.enumerated() { sums[index / shape.channels] += value }
        return FeatureMap(sums, shape: Shape(height: shape.height, width: shape.width, channels: 1))
    }

    /// The sum of every element.
    ///
    /// ```swift
    /// let total = h.image.sum()  // Σ over every pixel and colour
    /// ```
    @inlinable public func sum() -> T { storage.reduce(0, +) }

    /// The largest magnitude `max |v|` (0 for an all-zero map): the natural limit of a
    /// diverging colour scale.
    ///
    /// ```swift
    /// let limit = h.image.maximumMagnitude
    /// ```
    @inlinable public var maximumMagnitude: T { storage.reduce(0) { Swift.max($0, abs($1)) } }

    /// The same shape with `transform` applied to every element.
    ///
    /// ```swift
    /// let single = h.image.map(Float.init)  // a float32 copy for a picture
    /// ```
    @inlinable public func map<U: BLASScalar>(_ transform: (T) throws -> U) rethrows -> FeatureMap<U> {
        FeatureMap<U>(try values.map(transform), shape: shape)
    }

    /// Element-wise sum of two maps of the same shape.
    ///
    /// ```swift
    /// let both = rm0Cat.image + rm0Dog.image
    /// ```
    @inlinable public static func + (lhs: FeatureMap, rhs: FeatureMap) -> FeatureMap {
        lhs.combined(with: rhs, +)
    }

    /// Element-wise difference of two maps of the same shape.
    ///
    /// ```swift
    /// let difference = rm0Cat.image - rm0Dog.image
    /// ```
    @inlinable public static func - (lhs: FeatureMap, rhs: FeatureMap) -> FeatureMap {
        lhs.combined(with: rhs, -)
    }

    /// Every element multiplied by `factor`.
    ///
    /// ```swift
    /// let half = 0.5 * h.image
    /// ```
    @inlinable public static func * (factor: T, map: FeatureMap) -> FeatureMap {
        map.map { factor * $0 }
    }

    /// The shape and, for small maps, the values.
    public var description: String {
        values.count <= 16 ? "FeatureMap \(shape) \(values)" : "FeatureMap \(shape)"
    }

    @inlinable func combined(with other: FeatureMap, _ operation: (T, T) -> T) -> FeatureMap {
        precondition(shape == other.shape, "FeatureMap: shapes \(shape) and \(other.shape) differ")
        var result = storage
        for index in result.indices { result[index] = operation(storage[index], other.storage[index]) }
        return FeatureMap(result, shape: shape)
    }
}

/// A position in a feature map: row, column and channel (all 0-based).
///
/// ```swift
/// let peak = values.argmax(inChannel: 5)
/// let mode = Mode.rm2(layer: 3, channel: 5, row: peak.row, column: peak.column)
/// ```
public struct Location: Hashable, Sendable, CustomStringConvertible {
    /// The row.
    public var row: Int
    /// The column.
    public var column: Int
    /// The channel.
    public var channel: Int

    /// Creates a location.
    public init(row: Int, column: Int, channel: Int) {
        self.row = row
        self.column = column
        self.channel = channel
    }

    /// `(row r, column c, channel k)`.
    public var description: String { "(row \(row), column \(column), channel \(channel))" }
}
