import Diagnostics
import Foundation
import NotebookSupport
import PNGCodec
import Testing

@testable import NotebookKit

@Suite("Notebook support library")
struct SupportTests {
    @Test func divergingMapIsWhiteAtZeroAndSymmetric() {
        #expect(Images.divergingColor(0, limit: 1) == [255, 255, 255])
        #expect(Images.divergingColor(1, limit: 1) == [178, 24, 43])
        #expect(Images.divergingColor(-1, limit: 1) == [33, 102, 172])
        #expect(Images.divergingColor(5, limit: 1) == [178, 24, 43])
    }

    @Test func divergingImageRoundTripsThroughPNG() throws {
        let image = try Images.diverging([-2, 0, 1, 2], width: 2, height: 2, scale: 3)
        #expect(image.width == 6 && image.height == 6 && image.format == .rgb8)
        let decoded = try PNGImage(pngData: image.pngData())
        #expect(decoded.pixels == image.pixels)
        // Top-left block is −2 (full blue), top-right block is 0 (white).
        #expect(Array(decoded.pixels[0..<3]) == [33, 102, 172])
        #expect(Array(decoded.pixels[(3 * 3)..<(3 * 3 + 3)]) == [255, 255, 255])
    }

    @Test func featureMapComparisonHasFourTiles() throws {
        let original: [Float] = [1, -1, 0.5, 0]
        let image = try Images.featureMapComparison(
            original: original, reconstructed: original.map { $0 + 1e-6 }, width: 2, height: 2,
            scale: 1
        )
        #expect(image.width == 4 * 2 + 5 * 4 && image.height == 2 + 2 * 4)
        #expect(throws: PlacedError.self) {
            try Images.featureMapComparison(original: [1], reconstructed: [1, 2], width: 1, height: 1)
        }
    }

    @Test func sizeMismatchIsAnError() {
        #expect(throws: PlacedError.self) {
            try Images.rgb([0, 0, 0], width: 2, height: 1)
        }
    }

    @Test func histogramCountsEveryFiniteValue() {
        let histogram = Histogram([0, 1, 1, 2, 3, .nan], title: "h", binCount: 3)
        #expect(histogram.bins.counts == [1, 2, 2])
        #expect(histogram.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let logarithmic = Histogram([1e-7, 1e-6, 0], title: "h", binCount: 2, isLogarithmic: true)
        #expect(logarithmic.bins.counts == [1, 1])
        #expect(logarithmic.svg.contains("1 values not shown"))
    }

    @Test func chartsAreDeterministicAndEscaped() {
        let chart = BarChart(
            title: "Errors <RM1>", series: ["RM1", "RM2"],
            groups: [
                .init(label: "conv2", values: [1e-7, 3e-7]), .init(label: "conv3", values: [2e-6, 1e-8]),
            ],
            isLogarithmic: true
        )
        #expect(chart.svg == chart.svg)
        #expect(chart.svg.contains("Errors &lt;RM1&gt;"))
        #expect(!chart.svg.contains("<RM1>"))
    }

    @Test func tableFormatsNumbers() {
        #expect(Table.scientific(0.000000123456) == "1.23e-07")
        #expect(Table.fixed(2.0 / 3.0, digits: 2) == "0.67")
    }

    @Test func outputStreamIsSplitIntoBlocks() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func marker(_ event: OutputEvent) throws -> String {
            OutputEvent.marker + String(decoding: try encoder.encode(event), as: UTF8.self) + "\n"
        }
        let stream =
            try marker(.begin(block: 0)) + "one\n"
            + marker(.begin(block: 2)) + "two, "
            + marker(.item(.value("42"))) + "three\n"
            + marker(.finish)
        let parsed = OutputParser.parse(Data(stream.utf8), blockCount: 3)
        #expect(parsed.isFinished)
        #expect(parsed.lastBlock == 2)
        #expect(parsed.blocks[0].items == [OutputItem.text("one\n")])
        #expect(parsed.blocks[1].items.isEmpty)
        #expect(
            parsed.blocks[2].items == [
                OutputItem.text("two, "), OutputItem.value("42"),
                OutputItem.text("three\n"),
            ])
    }

    @Test func contentHashIsSHA256() {
        var empty = ContentHash()
        empty.update([UInt8]())
        #expect(empty.hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = ContentHash()
        abc.update(Array("abc".utf8))
        #expect(abc.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = ContentHash()
        long.update(Array(repeating: UInt8(ascii: "a"), count: 1000))
        #expect(long.hexDigest() == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
