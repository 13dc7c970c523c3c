import CommandTestSupport
import Foundation
import Testing

@testable import BackMap

/// The `backmap` arguments with a syntax of their own (`--images`, `--shard`, `--modes`,
/// `--unit`, `--layer`), typed as a user types them into the real executable: good values run,
/// bad ones are refused before any work with a message naming the option, the value and why.
@Suite struct ArgumentTests {
    static let data = CIFAR.defaultDirectory(root: BackMapExecutable.repository)
        .appendingPathComponent("test_batch.bin").path

    /// A path no refused command may write.
    static let never = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID())").path

    struct Refusal: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// Fragments standard error must contain.
        var says: [String]

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let refusals = [
        Refusal(
            arguments: ["verify", "--images", "5..<2"],
            says: ["'5..<2' is invalid for '--images <images>'", "0 ≤ A < B, got 5 and 2"]),
        Refusal(
            arguments: ["verify", "--images", "0"], says: ["'0' is invalid for '--images", "at least 1"]),
        Refusal(
            arguments: ["verify", "--images", "1-5"], says: ["'1-5' is invalid for '--images", "N or A..<B"]),
        Refusal(
            arguments: ["verify", "--shard", "3/2"],
            says: ["'3/2' is invalid for '--shard <shard>'", "0..<2 (parts are 0-based), got 3"]),
        Refusal(
            arguments: ["verify", "--shard", "1/0"], says: ["'1/0' is invalid for '--shard", "at least 1"]),
        Refusal(arguments: ["verify", "--shard", "half"], says: ["'half' is invalid for '--shard", "i/n"]),
        Refusal(
            arguments: ["bench", "--modes", "rm0,rm9"],
            says: ["'rm0,rm9' is invalid for '--modes <modes>'", "unknown mode 'rm9'"]),
        Refusal(
            arguments: ["bench", "--repeats", "0"],
            says: ["'0' is invalid for '--repeats <repeats>'", "at least 1"]),
        Refusal(
            arguments: ["bench", "--chunk-size", "0"],
            says: ["'0' is invalid for '--chunk-size <chunk-size>'", "at least 1"]),
        Refusal(
            arguments: ["bench", "--modes", ","], says: ["',' is invalid for '--modes", "at least one mode"]),
        Refusal(
            arguments: ["map", "--layer", "conv3", "--mode", "rm2", "--unit", "1,x,3", "--out", never],
            says: ["'1,x,3' is invalid for '--unit <unit>'", "'x' is not an integer"]),
        Refusal(
            arguments: ["map", "--layer", "conv3", "--mode", "rm2", "--unit", "1,2", "--out", never],
            says: ["--unit '1,2': rm2 needs 3 integers"]),
        Refusal(
            arguments: ["map", "--layer", "conv9", "--mode", "rm1", "--unit", "1", "--out", never],
            says: ["--layer conv9: not a layer of vgg7 (conv0, conv1, conv2, conv3, conv4, conv5, fc)"]),
        Refusal(
            arguments: ["eval", "--images=-1"],
            says: ["'-1' is invalid for '--images <images>'", "0 or more"]),
        Refusal(
            arguments: [
                "map", "--layer", "conv3", "--mode", "rm1", "--unit", "1", "--image=-1", "--out", never,
            ],
            says: ["'-1' is invalid for '--image <image>'", "0 or more"]),
        Refusal(
            arguments: ["inspect", "x.onnx", "--images", "many"],
            says: ["'many' is invalid for '--images <images>'", "whole number"]),
        Refusal(
            arguments: ["verify", "--k", "0"],
            says: ["'0' is invalid for '--k <k>'", "positive finite number, got 0.0"]),
        Refusal(
            arguments: [
                "map", "--layer", "conv3", "--mode", "rm1", "--unit", "1", "--k=-0.5", "--out", never,
            ],
            says: ["'-0.5' is invalid for '--k <k>'", "positive finite number"]),
        Refusal(
            arguments: ["verify", "--images", "1", "--shard", "1/2", "--data", data],
            says: ["Error: shard 1/2 of 0..<1 is empty"]),
    ]

    @Test(arguments: refusals) func badValueIsRefusedNamingOptionValueAndReason(_ refusal: Refusal) throws {
        let result = try BackMapExecutable.run(refusal.arguments)
        #expect(result.status != 0)
        for fragment in refusal.says {
            #expect(result.error.contains(fragment), "\(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: Self.never))
    }

    @Test func unitAndLayerAsTypedMapTheUnit() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try BackMapExecutable.run([
            "map", "--model", "vgg7", "--data", Self.data, "--layer", "conv3", "--mode", "rm2", "--unit",
            "1, 2, 3", "--out", out.path,
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.outputText.hasPrefix("RM2(layer 3, channel 1, row 2, column 3): c = "))
        let file = try SafeTensorsFile(contentsOf: out)
        #expect(file.metadata["mode"] == "RM2(layer 3, channel 1, row 2, column 3)")
        // The classifier by its name `fc` (layer 6 of VGG7), one coordinate.
        let classifier = try BackMapExecutable.run([
            "map", "--model", "vgg7", "--data", Self.data, "--layer", "fc", "--mode", "rm0", "--unit", "4",
            "--out", out.path,
        ])
        #expect(classifier.status == 0, "\(classifier.error)")
        #expect(classifier.outputText.hasPrefix("RM0(layer 6, unit 4): c = "))
    }

    @Test func modesAreTimedInTheOrderGiven() throws {
        let result = try BackMapExecutable.run([
            "bench", "--model", "vgg7", "--data", Self.data, "--modes", "rm2, rm0", "--single-units-only",
            "--repeats", "1",
        ])
        #expect(result.status == 0, "\(result.error)")
        let modes = result.outputText.split(separator: "\n").filter { $0.hasPrefix("RM") }.map {
            $0.prefix(3)
        }
        #expect(modes == ["RM2", "RM0"])
    }

}
