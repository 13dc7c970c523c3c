import CommandTestSupport
import Foundation
import Testing

@testable import BackMap

/// `backmap verify --out/--resume/--shard` and `backmap merge` as a user runs them: a real
/// process, killed with SIGKILL mid-run and resumed, on the bundled VGG7 and CIFAR-10.
@Suite(.serialized) struct VerifyCommandTests {
    static var repository: URL { BackMapExecutable.repository }

    static func launch(_ arguments: [String]) throws -> Process { try BackMapExecutable.launch(arguments) }

    static func run(_ arguments: [String]) throws -> Int32 { try BackMapExecutable.run(arguments).status }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let data = CIFAR.defaultDirectory(root: repository).appendingPathComponent("test_batch.bin").path

    @Test func killedAndResumedRunEqualsAnUninterruptedOne() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let common = ["verify", "--model", "vgg7", "--data", Self.data, "--images", "0..<5", "--quiet"]
        let whole = folder.appendingPathComponent("whole.json")
        #expect(try Self.run(common + ["--out", whole.path]) == 0)

        let killed = folder.appendingPathComponent("killed.json")
        let process = try Self.launch(common + ["--out", killed.path])
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline, process.isRunning {
            if let partial = try? VerificationRecord.read(from: killed), partial.images >= 2 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = try VerificationRecord.read(from: killed)
        #expect(partial.images >= 2 && partial.images < 5, "the run was killed mid-way")
        // Without --resume, an existing file is refused and left alone.
        #expect(try Self.run(common + ["--out", killed.path]) != 0)
        #expect(try VerificationRecord.read(from: killed) == partial)
        #expect(try Self.run(common + ["--out", killed.path, "--resume"]) == 0)
        let resumed = try VerificationRecord.read(from: killed)
        #expect(resumed.result == (try VerificationRecord.read(from: whole)).result)
        #expect(resumed.images == 5)
    }

    @Test func mergedShardsEqualOneRun() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let common = ["verify", "--model", "vgg7", "--data", Self.data, "--images", "2..<5", "--quiet"]
        let whole = folder.appendingPathComponent("whole.json")
        #expect(try Self.run(common + ["--out", whole.path]) == 0)
        var shards: [String] = []
        for index in 0..<2 {
            let shard = folder.appendingPathComponent("shard\(index).json").path
            #expect(try Self.run(common + ["--shard", "\(index)/2", "--out", shard]) == 0)
            shards.append(shard)
        }
        let merged = folder.appendingPathComponent("merged.json")
        #expect(try Self.run(["merge"] + shards.reversed() + ["--out", merged.path]) == 0)
        let record = try VerificationRecord.read(from: merged)
        #expect(record.result == (try VerificationRecord.read(from: whole)).result)
        #expect(record.provenance.sources?.count == 2)
        // Overlapping files are refused.
        #expect(try Self.run(["merge", whole.path, shards[0]]) != 0)
    }

    @Test func verifiesAnImportedONNXModel() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixtures = Self.repository.appendingPathComponent("Tests/ONNXImportTests/Fixtures")
        let out = folder.appendingPathComponent("onnx.json")
        let model = fixtures.appendingPathComponent("resnet_projection.onnx").path
        #expect(
            try Self.run([
                "verify", "--model-file", model, "--data", Self.data, "--images", "2", "--quiet", "--out",
                out.path,
            ])
                == 0)
        let record = try VerificationRecord.read(from: out)
        #expect(record.model == "resnet_projection" && record.images == 2)
        #expect(record.layers.last?.layer == "node_linear")
        #expect(record.provenance.weightsFile.hasSuffix("resnet_projection.onnx"))
        // A model the identity does not hold for is refused, and writes nothing.
        let refused = folder.appendingPathComponent("tanh.json")
        let tanh = fixtures.appendingPathComponent("tanh.onnx").path
        #expect(
            try Self.run(["verify", "--model-file", tanh, "--data", Self.data, "--out", refused.path]) != 0)
        #expect(!FileManager.default.fileExists(atPath: refused.path))
    }
}
