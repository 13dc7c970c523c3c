import Diagnostics
import Foundation
import Testing

@testable import BackMap

@Suite struct SafeTensorsTests {
    func sample() -> SafeTensorsFile {
        SafeTensorsFile(
            tensors: [
                "a": SafeTensor([1.5, -2, 3.25, 4] as [Float], shape: [2, 2]),
                "b": SafeTensor([0.1, 0.2] as [Double], shape: [2]),
                "idx": SafeTensor([7, -1, 3] as [Int32], shape: [3]),
            ],
            metadata: ["model": "vgg7", "note": "quote \" and \\ and\nnewline"])
    }

    /// Header length as the first 8 bytes, then the JSON header text.
    func header(of bytes: [UInt8]) -> (length: Int, text: String) {
        let length = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        return (length, String(decoding: bytes[8..<(8 + length)], as: UTF8.self))
    }

    func file(header json: String, data: [UInt8]) -> [UInt8] {
        let text = Array(json.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) } + text + data
    }

    @Test func roundTrip() throws {
        let bytes = sample().serialized()
        let (length, _) = header(of: bytes)
        #expect(length % 8 == 0)
        let parsed = try SafeTensorsFile(bytes: bytes)
        #expect(parsed.tensors == sample().tensors)
        #expect(parsed.metadata == sample().metadata)
        #expect(try parsed.values("a", shape: [2, 2], as: Double.self) == [1.5, -2, 3.25, 4])
        #expect(try parsed.tensor("idx").integerValues() == [7, -1, 3])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try sample().write(to: url)
        #expect(try SafeTensorsFile(contentsOf: url).tensors == sample().tensors)
    }

    @Test func randomModelWeightsRoundTrip() throws {
        let weights = ModelZoo.randomWeights(ModelConfiguration(kind: .resnet20Fixup, classes: 100), seed: 3)
        let parsed = try SafeTensorsFile(bytes: weights.serialized())
        let a = try ModelZoo.network(from: parsed, as: Float.self)
        #expect(a.configuration.classes == 100 && a.configuration.kind == .resnet20Fixup)
        #expect(a.network.nodes.last?.shape == .vector(100))
    }

    /// 2³² · 2³² · 4 elements: the byte count overflowed an Int and trapped before it was checked.
    @Test func shapeWhoseSizeOverflowsIsRefused() throws {
        let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,8]}}"#
        let error = #expect(throws: PlacedError.self) {
            try SafeTensorsFile(
                bytes: file(header: header, data: [UInt8](repeating: 0, count: 8)), source: "x.st")
        }
        #expect(error?.place == .tensor("w", in: "x.st"))
        #expect(error?.message.contains("more bytes than this machine can address") == true)
    }

    @Test func corruptFilesNameTheProblem() throws {
        let good = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let data = [UInt8](repeating: 0, count: 8)
        #expect(throws: Never.self) { try SafeTensorsFile(bytes: file(header: good, data: data)) }

        func failure(_ bytes: [UInt8]) -> PlacedError? {
            do {
                _ = try SafeTensorsFile(bytes: bytes, source: "x.safetensors")
                return nil
            } catch { return error as? PlacedError }
        }
        // Bad header: not JSON, length beyond the file, too short.
        #expect(failure(file(header: "{not json", data: []))?.message.contains("not valid JSON") == true)
        #expect(failure([200, 0, 0, 0, 0, 0, 0, 0, 1])?.message.contains("exceeds") == true)
        #expect(failure([1, 2])?.message.contains("too short") == true)
        // Unknown dtype, inconsistent offsets, truncated data: each names the tensor.
        let dtype = failure(
            file(header: #"{"w":{"dtype":"X9","shape":[2],"data_offsets":[0,8]}}"#, data: data))
        #expect(
            dtype?.place == .tensor("w", in: "x.safetensors")
                && dtype?.message.contains("unknown dtype") == true)
        let span = failure(
            file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: data))
        #expect(
            span?.place == .tensor("w", in: "x.safetensors") && span?.message.contains("needs 12") == true)
        let truncated = failure(file(header: good, data: Array(data.prefix(5))))
        #expect(
            truncated?.place == .tensor("w", in: "x.safetensors")
                && truncated?.message.contains("truncated") == true)
        #expect(truncated?.description.hasPrefix("x.safetensors: tensor 'w'") == true)

        // Wrong shape, wrong dtype, missing tensor when a model reads the file.
        var weights = ModelZoo.randomWeights(ModelConfiguration(kind: .vgg7), seed: 1)
        weights.tensors["conv2.weight"] = SafeTensor([Float](repeating: 0, count: 9), shape: [3, 3])
        #expect(
            throws: PlacedError(
                at: .tensor("conv2.weight", in: "<random seed 1>"),
                "shape [3, 3], expected [3, 3, 32, 64]")
        ) {
            try ModelZoo.network(from: weights, as: Float.self)
        }
        weights.tensors["conv2.weight"] = SafeTensor(
            dtype: .i32, shape: [3, 3, 32, 64], bytes: [UInt8](repeating: 0, count: 9 * 32 * 64 * 4))
        #expect(
            throws: PlacedError(
                at: .tensor("conv2.weight", in: "<random seed 1>"), "dtype I32, expected F32 or F64")
        ) {
            try ModelZoo.network(from: weights, as: Float.self)
        }
        weights.tensors["conv2.weight"] = nil
        #expect(
            throws: PlacedError(
                at: .tensor("conv2.weight", in: "<random seed 1>"), "missing tensor")
        ) {
            try ModelZoo.network(from: weights, as: Float.self)
        }
        weights.metadata["model"] = "alexnet"
        #expect(throws: PlacedError.self) { try ModelZoo.network(from: weights, as: Float.self) }
        var resnet = ModelZoo.randomWeights(ModelConfiguration(kind: .resnet20), seed: 1)
        resnet.metadata["leaky_slope"] = nil
        #expect(throws: PlacedError.self) { try ModelZoo.network(from: resnet, as: Float.self) }
    }
}

@Suite struct CIFARTests {
    func record(label: UInt8, coarse: UInt8? = nil, fill: UInt8 = 0) -> [UInt8] {
        (coarse.map { [$0] } ?? []) + [label]
            + (0..<3072).map { UInt8(truncatingIfNeeded: Int($0) + Int(fill)) }
    }

    @Test func parsesBothLayouts() throws {
        let ten = try CIFAR.parse(record(label: 3) + record(label: 9, fill: 1), format: .cifar10)
        #expect(ten.map(\.label) == [3, 9])
        let pixels = ten[0].pixels(as: Float.self)
        // HWC: pixel 0's red is plane byte 0, green is byte 1024, blue byte 2048.
        #expect(
            pixels[0] == 0 && pixels[1] == Float(1024 % 256) / 255 && pixels[2] == Float(2048 % 256) / 255)
        #expect(pixels[3] == Float(1) / 255)
        let hundred = try CIFAR.parse(record(label: 99, coarse: 19), format: .cifar100)
        #expect(hundred[0].label == 99 && hundred[0].coarseLabel == 19)
        #expect(try CIFAR.parse(record(label: 1) + record(label: 2), format: .cifar10, limit: 1).count == 1)
    }

    @Test func malformedFilesNameFileAndRecord() {
        #expect(throws: PlacedError(file: "t.bin", message: "the file is empty")) {
            try CIFAR.parse([], format: .cifar10, source: "t.bin")
        }
        #expect(
            throws: PlacedError(
                at: .record(1, in: "t.bin"),
                "truncated: 100 of 3073 bytes (cifar10 records are 3073 bytes; file has 3173)")
        ) {
            try CIFAR.parse(
                record(label: 1) + [UInt8](repeating: 0, count: 100), format: .cifar10, source: "t.bin")
        }
        #expect(
            throws: PlacedError(
                at: .record(1, in: "t.bin"), "label 12 is outside 0…9 (is this a cifar10 file?)")
        ) {
            try CIFAR.parse(record(label: 1) + record(label: 12), format: .cifar10, source: "t.bin")
        }
        #expect(throws: PlacedError.self) {
            try CIFAR.parse(record(label: 5, coarse: 20), format: .cifar100)
        }
        #expect(throws: PlacedError.self) {
            try CIFAR.read(contentsOf: URL(fileURLWithPath: "/nonexistent/test_batch.bin"))
        }
        // A negative limit is refused rather than trapping in a range of records.
        #expect(
            throws: PlacedError(
                file: "t.bin", message: "cannot read -1 records (the limit must be 0 or more)")
        ) {
            try CIFAR.parse(record(label: 1), format: .cifar10, source: "t.bin", limit: -1)
        }
    }
}
