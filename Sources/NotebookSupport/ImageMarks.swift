import Diagnostics
import PNGCodec

extension Images {
    /// The colour of an outline drawn by ``outlined(_:rows:columns:scale:color:lineWidth:)``.
    public static let outlineColor: [UInt8] = [0, 150, 0]

    /// Draws the outline of a window of values (such as a receptive field) on an image made
    /// with `scale × scale` pixels per value. The line lies on the window's outermost pixels,
    /// so everything outside the window is untouched.
    ///
    /// ```swift
    /// let framed = try Images.outlined(panel, rows: 2..<20, columns: 5..<23, scale: 5)
    /// ```
    /// - Throws: ``PlacedError`` when the window does not lie inside the image.
    public static func outlined(
        _ image: PNGImage, rows: Range<Int>, columns: Range<Int>, scale: Int,
        color: [UInt8] = outlineColor, lineWidth: Int = 1
    ) throws -> PNGImage {
        let factor = max(1, scale)
        let top = rows.lowerBound * factor
        let bottom = rows.upperBound * factor
        let left = columns.lowerBound * factor
        let right = columns.upperBound * factor
        guard top >= 0, left >= 0, bottom <= image.height, right <= image.width, top < bottom, left < right
        else {
            throw PlacedError(
                "outline rows \(rows), columns \(columns) at scale \(factor) do not fit a "
                    + "\(image.width)×\(image.height) image")
        }
        var pixels = rgbPixels(of: image)
        let width = max(1, lineWidth)
        for y in top..<bottom {
            for x in left..<right {
                let onEdge =
                    y < top + width || y >= bottom - width || x < left + width || x >= right - width
                guard onEdge, color.count == 3 else { continue }
                let offset = (y * image.width + x) * 3
                pixels.replaceSubrange(offset..<(offset + 3), with: color)
            }
        }
        return try PNGImage(width: image.width, height: image.height, format: .rgb8, pixels: pixels)
    }

    /// A vertical colour bar of the diverging map: `+limit` (red) at the top, zero (white) in
    /// the middle, `-limit` (blue) at the bottom.
    ///
    /// ```swift
    /// let bar = try Images.colorBar(limit: 0.02, width: 14, height: 160)
    /// ```
    /// - Throws: ``PlacedError`` for an empty size.
    public static func colorBar(limit: Float, width: Int, height: Int) throws -> PNGImage {
        guard width > 0, height > 0 else {
            throw PlacedError("colour bar size \(width)×\(height) is empty")
        }
        let bound = limit > 0 ? limit : 1
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            let value = bound * (1 - 2 * (Float(y) + 0.5) / Float(height))
            let color = divergingColor(value, limit: bound)
            for _ in 0..<width { pixels += color }
        }
        return try PNGImage(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    /// An image with a signed map laid over it: the image in grey, tinted red where the map is
    /// positive and blue where it is negative, in proportion to `|value| / limit`.
    ///
    /// ```swift
    /// let overlay = try Images.overlay(image: x, values: h, width: 32, height: 32, scale: 5)
    /// ```
    /// - Parameters:
    ///   - image: Interleaved RGB values in `[0, 1]`, row-major.
    ///   - values: One value per pixel (for example a hypersurface summed over colours).
    ///   - limit: The magnitude drawn at full strength; defaults to the largest `|value|`.
    /// - Throws: ``PlacedError`` when the sizes do not match.
    public static func overlay(
        image: [Float], values: [Float], width: Int, height: Int, limit: Float? = nil, scale: Int = 1
    ) throws -> PNGImage {
        try checkSize(image.count, width: width, height: height, channels: 3)
        try checkSize(values.count, width: width, height: height, channels: 1)
        let bound = limit ?? maximumMagnitude(values)
        var pixels = [UInt8]()
        pixels.reserveCapacity(values.count * 3)
        for (index, value) in values.enumerated() {
            let gray = (image[3 * index] + image[3 * index + 1] + image[3 * index + 2]) / 3
            let base = 60 + 150 * min(1, max(0, gray))
            let alpha = bound > 0 && value.isFinite ? min(1, abs(value) / bound) : 0
            let tint: [Float] = value >= 0 ? [178, 24, 43] : [33, 102, 172]
            pixels += tint.map { UInt8((base * (1 - alpha) + $0 * alpha).rounded()) }
        }
        return try upscale(width: width, height: height, rgb: pixels, scale: scale)
    }

    /// Places images on a white canvas at the given top-left corners, each framed by a grey
    /// line just outside it (so that a white panel still shows its extent).
    ///
    /// ```swift
    /// let row = try Images.canvas(width: 340, height: 170, placing: [(a, 5, 5), (b, 175, 5)])
    /// ```
    /// - Throws: ``PlacedError`` when an image does not fit the canvas.
    public static func canvas(width: Int, height: Int, placing items: [(image: PNGImage, x: Int, y: Int)])
        throws -> PNGImage
    {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for item in items {
            guard item.x >= 1, item.y >= 1, item.x + item.image.width < width,
                item.y + item.image.height < height
            else {
                throw PlacedError(
                    "a \(item.image.width)×\(item.image.height) image at (\(item.x), \(item.y)) "
                        + "does not fit a \(width)×\(height) canvas")
            }
            for y in (item.y - 1)...(item.y + item.image.height) {
                for x in (item.x - 1)...(item.x + item.image.width) {
                    let offset = (y * width + x) * 3
                    pixels.replaceSubrange(offset..<(offset + 3), with: [190, 190, 190])
                }
            }
            let rgb = rgbPixels(of: item.image)
            let rowBytes = item.image.width * 3
            for y in 0..<item.image.height {
                let target = ((item.y + y) * width + item.x) * 3
                pixels.replaceSubrange(
                    target..<(target + rowBytes), with: rgb[(y * rowBytes)..<((y + 1) * rowBytes)])
            }
        }
        return try PNGImage(width: width, height: height, format: .rgb8, pixels: pixels)
    }
}
