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

    /// Figures of the course as the two-pass encoder this one replaced wrote them (`Fixtures/`,
    /// copied from a site built on 2026-12-01 before the change); decoding and re-encoding them
    /// must give the same bytes.
    @Test func reencodesTheCoursesFiguresByteForByte() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let files = try FileManager.default.contentsOfDirectory(
            at: fixtures, includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "png" }
        #expect(files.count == 6, "expected the 6 PNG fixtures under \(fixtures.path)")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            #expect(try PNGImage(pngData: bytes).pngData() == bytes, "\(file.lastPathComponent)")
        }
    }

    /// Noise does not compress, so it comes closest to the buffer that one encoding pass gets.
    @Test(arguments: PNGImage.Format.allCases)
    func oneBufferFitsIncompressibleImages(format: PNGImage.Format) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for (width, height) in [(1, 1), (3, 2), (97, 61), (512, 300)] {
            let pixels = (0..<(width * height * format.channels)).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let image = try PNGImage(width: width, height: height, format: format, pixels: pixels)
            let data = try image.pngData()
            #expect(data.count <= image.encodedSizeBound, "\(width)×\(height) \(format)")
            #expect(try PNGImage(pngData: data) == image)
        }
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
