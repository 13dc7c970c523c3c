import Diagnostics
import PNGCodec

/// Builders of PNG images for notebook figures: hypersurfaces, RGB parts and feature-map grids.
///
/// Inputs are plain row-major `Float` arrays so that this module needs no engine types.
public enum Images {
    /// Maps values to a blue–white–red diverging colour map centred on zero.
    ///
    /// Zero is white, `-limit` is deep blue and `+limit` deep red, so the sign of each entry of a
    /// hypersurface reads at a glance and equal magnitudes look equally strong.
    ///
    /// - Parameters:
    ///   - values: `height · width` values, row-major, top row first.
    ///   - width: Width in values.
    ///   - height: Height in values.
    ///   - limit: The magnitude mapped to full colour; defaults to the largest `|value|`.
    ///   - scale: Each value becomes a `scale × scale` block of pixels.
    /// - Throws: ``PlacedError`` when the sizes do not match.
    public static func diverging(
        _ values: [Float], width: Int, height: Int, limit: Float? = nil, scale: Int = 1
    ) throws -> PNGImage {
        try checkSize(values.count, width: width, height: height, channels: 1)
        let bound = limit ?? maximumMagnitude(values)
        var pixels = [UInt8]()
        pixels.reserveCapacity(values.count * 3)
        for value in values { pixels += divergingColor(value, limit: bound) }
        return try upscale(width: width, height: height, rgb: pixels, scale: scale)
    }

    /// Maps an interleaved RGB array (`height · width · 3`, e.g. the image part of a
    /// hypersurface) to colours, with zero at mid-grey.
    ///
    /// - Parameters:
    ///   - values: Interleaved RGB values, row-major.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - range: The values mapped to 0 and 255; defaults to `-m…m` with `m` the largest
    ///     `|value|`, so that zero is mid-grey. Pass `0…1` for an input image.
    ///   - scale: Each pixel becomes a `scale × scale` block.
    /// - Throws: ``PlacedError`` when the sizes do not match.
    public static func rgb(
        _ values: [Float], width: Int, height: Int, range: ClosedRange<Float>? = nil,
        scale: Int = 1
    ) throws -> PNGImage {
        try checkSize(values.count, width: width, height: height, channels: 3)
        let magnitude = maximumMagnitude(values)
        let bounds = range ?? (-magnitude...magnitude)
        let span = bounds.upperBound - bounds.lowerBound
        let pixels = values.map { value -> UInt8 in
            guard span > 0 else { return 128 }
            return byte((value - bounds.lowerBound) / span)
        }
        return try upscale(width: width, height: height, rgb: pixels, scale: scale)
    }

    /// A feature-map comparison like Fig. A.1 of the paper: original, reconstructed,
    /// difference and normalised difference side by side.
    ///
    /// The first three tiles share one diverging scale (the largest `|original|`), so a
    /// correct reconstruction looks identical and its difference looks white; the fourth tile
    /// rescales the difference to its own largest magnitude to show where the residual lies.
    ///
    /// - Parameters:
    ///   - original: The feature map computed by the forward pass, row-major.
    ///   - reconstructed: The same map reconstructed from the hypersurfaces.
    ///   - width: Width of the map.
    ///   - height: Height of the map.
    ///   - scale: Each value becomes a `scale × scale` block.
    /// - Throws: ``PlacedError`` when the sizes do not match.
    public static func featureMapComparison(
        original: [Float], reconstructed: [Float], width: Int, height: Int, scale: Int = 4
    ) throws -> PNGImage {
        guard original.count == reconstructed.count else {
            throw PlacedError(
                "original has \(original.count) values but reconstructed "
                    + "has \(reconstructed.count)")
        }
        let difference = zip(original, reconstructed).map { $0 - $1 }
        let limit = maximumMagnitude(original)
        let tiles = try [
            diverging(original, width: width, height: height, limit: limit, scale: scale),
            diverging(reconstructed, width: width, height: height, limit: limit, scale: scale),
            diverging(difference, width: width, height: height, limit: limit, scale: scale),
            diverging(difference, width: width, height: height, scale: scale),
        ]
        return try grid(tiles, columns: 4)
    }

    /// Places images of equal size on a grid, row by row, separated and framed by grey gaps (so
    /// that a white tile, such as a zero difference, still shows its extent).
    ///
    /// - Parameters:
    ///   - tiles: The images, all of the same width and height; gray and RGBA tiles are
    ///     converted to RGB.
    ///   - columns: Tiles per row.
    ///   - gap: Pixels between tiles.
    ///   - gapGray: The grey level of the gaps (255 is white).
    /// - Throws: ``PlacedError`` when there are no tiles or their sizes differ.
    public static func grid(
        _ tiles: [PNGImage], columns: Int, gap: Int = 4, gapGray: UInt8 = 200
    ) throws -> PNGImage {
        guard let first = tiles.first, columns > 0 else {
            throw PlacedError("a grid needs at least one tile and one column")
        }
        guard tiles.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw PlacedError("all tiles of a grid must have the same size")
        }
        let rows = (tiles.count + columns - 1) / columns
        let usedColumns = min(columns, tiles.count)
        let width = usedColumns * first.width + (usedColumns + 1) * gap
        let height = rows * first.height + (rows + 1) * gap
        var pixels = [UInt8](repeating: gapGray, count: width * height * 3)
        for (index, tile) in tiles.enumerated() {
            let left = gap + (index % columns) * (first.width + gap)
            let top = gap + (index / columns) * (first.height + gap)
            let rgb = rgbPixels(of: tile)
            for y in 0..<tile.height {
                let source = y * tile.width * 3
                let target = ((top + y) * width + left) * 3
                pixels.replaceSubrange(
                    target..<(target + tile.width * 3), with: rgb[source..<(source + tile.width * 3)]
                )
            }
        }
        return try PNGImage(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    /// The colour of `value` on the diverging map with the given limit, as three bytes.
    public static func divergingColor(_ value: Float, limit: Float) -> [UInt8] {
        guard limit > 0, value.isFinite else { return [255, 255, 255] }
        let t = min(1, abs(value) / limit)
        // White to a saturated colour: red (178, 24, 43) for positive, blue (33, 102, 172) for
        // negative values (the ends of ColorBrewer's RdBu scheme).
        let end: (Float, Float, Float) = value >= 0 ? (178, 24, 43) : (33, 102, 172)
        return [
            UInt8((255 + (end.0 - 255) * t).rounded()),
            UInt8((255 + (end.1 - 255) * t).rounded()),
            UInt8((255 + (end.2 - 255) * t).rounded()),
        ]
    }
}

// MARK: - Private

extension Images {
    static func checkSize(_ count: Int, width: Int, height: Int, channels: Int) throws {
        guard width > 0, height > 0 else {
            throw PlacedError("image size \(width)×\(height) is empty")
        }
        guard count == width * height * channels else {
            throw PlacedError(
                "expected \(width)×\(height)×\(channels) = "
                    + "\(width * height * channels) values, got \(count)")
        }
    }

    static func maximumMagnitude(_ values: [Float]) -> Float {
        values.reduce(0) { $1.isFinite ? max($0, abs($1)) : $0 }
    }

    static func byte(_ fraction: Float) -> UInt8 {
        guard fraction.isFinite else { return 0 }
        return UInt8((min(1, max(0, fraction)) * 255).rounded())
    }

    static func upscale(width: Int, height: Int, rgb: [UInt8], scale: Int) throws -> PNGImage {
        let factor = max(1, scale)
        guard factor > 1 else {
            return try PNGImage(width: width, height: height, format: .rgb8, pixels: rgb)
        }
        var pixels = [UInt8]()
        pixels.reserveCapacity(rgb.count * factor * factor)
        for y in 0..<height {
            var row = [UInt8]()
            row.reserveCapacity(width * factor * 3)
            for x in 0..<width {
                let start = (y * width + x) * 3
                for _ in 0..<factor { row += rgb[start..<(start + 3)] }
            }
            for _ in 0..<factor { pixels += row }
        }
        return try PNGImage(
            width: width * factor, height: height * factor, format: .rgb8, pixels: pixels
        )
    }

    static func rgbPixels(of image: PNGImage) -> [UInt8] {
        switch image.format {
        case .rgb8:
            return image.pixels
        case .gray8:
            return image.pixels.flatMap { [$0, $0, $0] }
        case .rgba8:
            // Composite over white, as the page background is white.
            var result = [UInt8]()
            result.reserveCapacity(image.width * image.height * 3)
            for pixel in stride(from: 0, to: image.pixels.count, by: 4) {
                let alpha = Int(image.pixels[pixel + 3])
                for channel in 0..<3 {
                    let value = Int(image.pixels[pixel + channel])
                    result.append(UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255))
                }
            }
            return result
        }
    }
}
