import CPNG
import Diagnostics
import Foundation

/// An 8-bit image that libpng encodes to and decodes from PNG.
///
/// Pixels are stored row after row, top row first, with ``Format/channels`` bytes per pixel.
/// Encoding uses libpng's simplified `png_image` API (the classic API reports errors through
/// `longjmp`, which Swift cannot survive), and its output is deterministic: the same pixels
/// always give the same bytes.
public struct PNGImage: Hashable, Sendable {
    /// The pixel layout.
    public enum Format: Hashable, Sendable, CaseIterable {
        /// One byte per pixel.
        case gray8
        /// Red, green, blue.
        case rgb8
        /// Red, green, blue, alpha (not premultiplied).
        case rgba8

        /// Bytes per pixel.
        public var channels: Int {
            switch self {
            case .gray8: 1
            case .rgb8: 3
            case .rgba8: 4
            }
        }

        var pngFormat: png_uint_32 {
            switch self {
            case .gray8: png_uint_32(PNG_FORMAT_GRAY)
            case .rgb8: png_uint_32(PNG_FORMAT_RGB)
            case .rgba8: png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
            }
        }
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// The pixel layout.
    public let format: Format
    /// `width · height · format.channels` bytes, row-major, top row first.
    public let pixels: [UInt8]

    /// Creates an image from raw pixels.
    ///
    /// - Throws: ``PlacedError`` when the size is empty or `pixels` has the wrong length.
    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) throws(PlacedError) {
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
            throw PlacedError(
                "image size \(width)×\(height) is not supported (1…16777216 per side)")
        }
        let expected = width * height * format.channels
        guard pixels.count == expected else {
            throw PlacedError(
                "\(width)×\(height) \(format) image needs \(expected) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// Decodes PNG data, converting whatever the file holds (palette, 16-bit, gray + alpha, …)
    /// to `format`, or to the closest 8-bit format when `format` is `nil`.
    ///
    /// - Parameters:
    ///   - pngData: The bytes of a PNG file.
    ///   - format: The layout wanted; `nil` keeps gray as gray and colour as RGB(A).
    ///   - source: A file name for error messages.
    /// - Throws: ``PlacedError`` naming `source` when the data is not a readable PNG.
    public init(pngData: [UInt8], format: Format? = nil, source: String? = nil) throws(PlacedError) {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = pngData.withUnsafeBytes { bytes in
            png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count)
        }
        guard begun != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw PlacedError(file: source, message: "not a readable PNG: \(message)")
        }
        let fileFormat = image.format
        let chosen: Format =
            format
            ?? {
                let hasColor = fileFormat & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0
                let hasAlpha = fileFormat & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
                return hasColor ? (hasAlpha ? .rgba8 : .rgb8) : (hasAlpha ? .rgba8 : .gray8)
            }()
        image.format = chosen.pngFormat
        let width = Int(image.width)
        let height = Int(image.height)
        guard width > 0, height > 0, width * height <= 1 << 28 else {
            png_image_free(&image)
            throw PlacedError(file: source, message: "PNG size \(width)×\(height) is not supported")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * chosen.channels)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil)
        }
        guard finished != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw PlacedError(file: source, message: "corrupt PNG data: \(message)")
        }
        try self.init(width: width, height: height, format: chosen, pixels: pixels)
    }

    /// Reads and decodes a PNG file.
    ///
    /// - Throws: ``PlacedError`` naming the file when it cannot be read or decoded.
    public init(contentsOf url: URL, format: Format? = nil) throws(PlacedError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PlacedError(file: url.path, message: "cannot read file: \(error.localizedDescription)")
        }
        try self.init(pngData: [UInt8](data), format: format, source: url.path)
    }

    /// Encodes the image as PNG, in one pass of libpng into a buffer of its documented upper
    /// bound (``encodedSizeBound``); only if a zlib ever wrote more would it encode a second time,
    /// into the size libpng then reports.
    ///
    /// - Throws: ``PlacedError`` if libpng reports a failure.
    public func pngData() throws(PlacedError) -> [UInt8] {
        var capacity = encodedSizeBound
        for _ in 0..<2 {
            var image = png_image()
            image.version = png_uint_32(PNG_IMAGE_VERSION)
            image.width = png_uint_32(width)
            image.height = png_uint_32(height)
            image.format = format.pngFormat
            var output = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let written = output.withUnsafeMutableBytes { memory in
                pixels.withUnsafeBytes { buffer in
                    png_image_write_to_memory(
                        &image, memory.baseAddress, &size, 0, buffer.baseAddress,
                        png_int_32(width * format.channels), nil)
                }
            }
            if written != 0 { return Array(output.prefix(size)) }
            let message = Self.message(of: &image)
            png_image_free(&image)
            // A failure with a larger size means only that the buffer was too small.
            guard size > capacity else {
                throw PlacedError("libpng could not encode the PNG: \(message)")
            }
            capacity = size
        }
        throw PlacedError("libpng could not encode the PNG: its size grew past \(capacity) bytes")
    }

    /// libpng's upper bound on the encoded size (`PNG_IMAGE_PNG_SIZE_MAX` of png.h, a macro Swift
    /// does not import): the filtered rows, zlib's worst case for them, and the fixed chunks.
    var encodedSizeBound: Int {
        let filtered = height * (width * format.channels + 1)
        let compressed = filtered + (filtered + 7) >> 3 + (filtered + 63) >> 6 + 11
        let chunks = 8 + 25 + 16 + 44 + 12 + 12 + 12 * (compressed / 8192)
        return chunks + compressed
    }

    /// Encodes the image and writes it to `url` atomically (a temporary file, then a rename),
    /// so a reader never sees a half-written PNG.
    ///
    /// - Throws: ``PlacedError`` naming the file on failure.
    public func write(to url: URL) throws(PlacedError) {
        let bytes = try pngData()
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw PlacedError(file: url.path, message: "cannot write file: \(error.localizedDescription)")
        }
    }
}

// MARK: - Helpers

extension PNGImage {
    fileprivate static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "no detail from libpng" : String(decoding: bytes, as: UTF8.self)
        }
    }
}
