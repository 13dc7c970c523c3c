import Foundation
import Testing

@testable import BackMap

/// Sharded, resumable verification: results merge exactly and survive interruption.
@Suite struct VerificationRecordTests {
    static let imageCount = 7

    static func network() throws -> FoldedNetwork<Float> { try Support.smallNetwork(as: Float.self) }

    static func image(_ index: Int, _ network: FoldedNetwork<Float>) -> [Float] {
        Support.image(network.inputShape, seed: 100 + UInt64(index), as: Float.self)
    }

    static func emptyRecord(_ network: FoldedNetwork<Float>, target: Range<Int>) throws -> VerificationRecord
    {
        let settings = VerificationSettings(
            k: 0.125, includeOwnBias: false, accumulateInDouble: false,
            layers: Array(network.layers.indices.dropFirst()))
        return VerificationRecord(
            model: "small", precision: "float", target: target, settings: settings,
            layers: try network.emptyStatistics(layers: settings.layers),
            provenance: VerificationProvenance(
                engineCommit: "test", weightsFile: "small", weightsSHA256: "0", dataFile: "seeded",
                dataSHA256: "1", machine: "test", started: "", finished: ""))
    }

    static func run(_ network: FoldedNetwork<Float>, _ range: Range<Int>) throws -> VerificationRecord {
        var record = try emptyRecord(network, target: range)
        try network.continueVerification(&record, image: { image($0, network) }, checkpoint: { _, _ in })
        return record
    }

    @Test func shardsMergedEqualOneRunBitForBit() throws {
        let network = try Self.network()
        let whole = try Self.run(network, 0..<Self.imageCount)
        for shardCount in [2, 3] {
            let shards = try (0..<shardCount).map {
                try Self.run(network, (0..<Self.imageCount).shard($0, of: shardCount))
            }
            // Merge in a scrambled order: the result must not depend on it.
            var merged = shards[shardCount - 1]
            for shard in shards.dropLast().reversed() { try merged.merge(shard) }
            #expect(merged.result == whole.result)
            #expect(merged.imageRanges == [0..<Self.imageCount])
            // Bit for bit through the file format too.
            let decoded = try JSONDecoder().decode(VerificationRecord.self, from: merged.jsonData())
            #expect(decoded.result == whole.result)
            #expect(try decoded.jsonData() == (try merged.jsonData()))
        }
        // The statistics are not trivially equal: the layers saw every unit of every image.
        for (statistics, index) in zip(whole.layers, whole.settings.layers) {
            #expect(statistics.units == Self.imageCount * network.layers[index].units)
            #expect(statistics.largest.location?.image != nil)
        }
    }

    @Test func interruptedAndResumedEqualsUninterrupted() throws {
        let network = try Self.network()
        let whole = try Self.run(network, 0..<Self.imageCount)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("run.json")
        struct Killed: Error {}
        var record = try Self.emptyRecord(network, target: 0..<Self.imageCount)
        #expect(throws: Killed.self) {
            try network.continueVerification(
                &record, image: { Self.image($0, network) },
                checkpoint: { current, _ in
                    try current.write(to: file)
                    if current.images == 3 { throw Killed() }
                })
        }
        var resumed = try VerificationRecord.read(from: file)
        #expect(resumed.images == 3 && resumed.nextImage == 3)
        try network.continueVerification(
            &resumed, image: { Self.image($0, network) }, checkpoint: { _, _ in })
        #expect(resumed.result == whole.result)
        #expect(resumed.nextImage == nil)
    }

    @Test func mergeRefusesOverlapsAndDifferentSettings() throws {
        let network = try Self.network()
        var first = try Self.run(network, 0..<2)
        let overlapping = try Self.run(network, 1..<3)
        #expect(throws: VerificationRecordError.overlap(images: 1..<2)) { try first.merge(overlapping) }
        var other = try Self.run(network, 2..<3)
        other.settings.k = 0.25
        #expect(throws: VerificationRecordError.self) { try first.merge(other) }
        var wrongWeights = try Self.run(network, 2..<3)
        wrongWeights.provenance.weightsSHA256 = "f"
        #expect(
            throws: VerificationRecordError.mismatch(
                field: "provenance.weightsSHA256", first: "0", second: "f")
        ) {
            try first.merge(wrongWeights)
        }
    }

    @Test func corruptFilesNameTheProblem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.json")
        try Data("{\"format\": 3".utf8).write(to: file)
        #expect {
            try VerificationRecord.read(from: file)
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("is not a result file")
        }
        var record = try Self.run(try Self.network(), 0..<1)
        record.format = "something-else/9"
        try record.write(to: file)
        #expect {
            try VerificationRecord.read(from: file)
        } throws: { error in
            "\(error)".contains("format") && "\(error)".contains("something-else/9")
        }
    }

    @Test func shardsPartitionARange() {
        for count in 1...7 {
            let parts = (0..<count).map { (5..<23).shard($0, of: count) }
            #expect(parts.first?.lowerBound == 5 && parts.last?.upperBound == 23)
            #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            let sizes = parts.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        }
        #expect((0..<10).shard(1, of: 3) == 4..<7)
    }
}

/// The logarithmic histogram's median and the clustered interval.
@Suite struct MergeableStatisticsTests {
    @Test func histogramMedianIsWithinItsResolution() {
        var generator = SeededGenerator(seed: 9)
        for count in [1, 2, 5, 100, 1001] {
            let values = (0..<count).map { _ in pow(10, generator.uniform(-12, 1)) }
            var histogram = MagnitudeHistogram()
            for value in values { histogram.add(value) }
            let lowerMedian = values.sorted()[(count + 1) / 2 - 1]
            #expect(abs(histogram.median / lowerMedian - 1) <= MagnitudeHistogram.relativeResolution * 1.0001)
            #expect(histogram.total == count)
        }
        var zeros = MagnitudeHistogram()
        for value in [0, 0, 3e-7, .nan] { zeros.add(value) }
        #expect(zeros.median == 0 && zeros.nonFinite == 1 && zeros.zero == 2)
    }

    @Test func largestErrorKeepsTheFirstOccurrence() throws {
        var statistics = LayerStatistics(layer: "l", index: 1, unitsPerImage: 3)
        statistics.add([0.5, 0.2, 0.5], image: 4)
        statistics.add([0.1, 0.5, 0.3], image: 5)
        #expect(statistics.largest.location == UnitLocation(image: 4, unit: 0))
        var later = LayerStatistics(layer: "l", index: 1, unitsPerImage: 3)
        later.add([0.1, 0.5, 0.3], image: 5)
        var earlier = LayerStatistics(layer: "l", index: 1, unitsPerImage: 3)
        earlier.add([0.5, 0.2, 0.5], image: 4)
        try later.merge(earlier)
        #expect(later == statistics)
    }

    @Test func clusteredIntervalWidensWhenImagesDisagree() throws {
        // Same overall share (90%), spread evenly over images or concentrated in some.
        var even = LayerStatistics(layer: "l", index: 1, unitsPerImage: 10)
        var clustered = LayerStatistics(layer: "l", index: 1, unitsPerImage: 10)
        for image in 0..<20 {
            even.add([Double](repeating: 0, count: 9) + [1], image: image)
            clustered.add(
                [Double](repeating: image % 2 == 0 ? 0 : 1, count: 10).enumerated().map {
                    image % 2 == 0 || $0.offset < 8 ? 0 : 1
                }, image: image)
        }
        #expect(even.withinOnePercent == 90 && clustered.withinOnePercent == 90)
        let narrow = try #require(even.interval())
        let wide = try #require(clustered.interval())
        #expect(
            narrow.lower < 90 && narrow.upper > 90 && wide.lower < narrow.lower && wide.upper > narrow.upper)
        #expect(wide.effectiveSampleSize < narrow.effectiveSampleSize)
        // With no spread between images the effective sample size is the number of units.
        #expect(narrow.effectiveSampleSize == 200)
        #expect(abs(LayerStatistics.normalQuantile(0.95) - 1.959964) < 1e-6)
        #expect(abs(LayerStatistics.normalQuantile(0.99) - 2.575829) < 1e-6)
    }
}
