import Diagnostics
import Foundation
import Testing

@testable import PNGCodec

@Suite("PNG encoding and decoding with libpng")
struct PNGImageTests {
    /// A deterministic pattern that uses every byte value.
    static func pattern(count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ seed &* 11 &+ ($0 >> 3)) }
    }

    @Test(arguments: PNGImage.Format.allCases)
    func roundTripIsBitExact(format: PNGImage.Format) throws {
        let width = 37
        let height = 23
        let pixels = Self.pattern(count: width * height * format.channels, seed: format.channels)
        let image = try PNGImage(width: width, height: height, format: format, pixels: pixels)
        let data = try image.pngData()
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try PNGImage(pngData: data)
        #expect(decoded == image)
    }

    @Test func encodingIsDeterministic() throws {
        let image = try PNGImage(
            width: 8, height: 8, format: .rgb8, pixels: Self.pattern(count: 192, seed: 1))
        #expect(try image.pngData() == image.pngData())
    }

    @Test func decodesGrayAsRGBWhenAsked() throws {
        let gray = try PNGImage(width: 2, height: 1, format: .gray8, pixels: [0, 255])
        let rgb = try PNGImage(pngData: gray.pngData(), format: .rgb8)
        #expect(rgb.pixels == [0, 0, 0, 255, 255, 255])
    }

    @Test func writesAndReadsFiles() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "png-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        let image = try PNGImage(width: 3, height: 2, format: .gray8, pixels: [1, 2, 3, 4, 5, 6])
        try image.write(to: url)
        #expect(try PNGImage(contentsOf: url) == image)
    }

    @Test func rejectsWrongPixelCount() {
        #expect(throws: PlacedError("2×2 rgb8 image needs 12 bytes, got 3")) {
            try PNGImage(width: 2, height: 2, format: .rgb8, pixels: [1, 2, 3])
        }
    }

    @Test func corruptDataNamesTheSource() throws {
        let error = #expect(throws: PlacedError.self) {
            try PNGImage(pngData: Array("not a png".utf8), source: "bad.png")
        }
        #expect(error?.description.hasPrefix("bad.png: not a readable PNG") == true)
        // A valid signature and header, then truncated image data.
        let data = try PNGImage(
            width: 16, height: 16, format: .rgb8, pixels: Self.pattern(count: 768, seed: 2)
        ).pngData()
        #expect(throws: PlacedError.self) { try PNGImage(pngData: Array(data.prefix(data.count / 2))) }
    }

    @Test func missingFileIsAnError() {
        let error = #expect(throws: PlacedError.self) {
            try PNGImage(contentsOf: URL(fileURLWithPath: "/nonexistent/x.png"))
        }
        #expect(error?.place.file == "/nonexistent/x.png")
    }
}
