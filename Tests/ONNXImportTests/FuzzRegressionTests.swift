import Foundation
import Testing

@testable import ONNXImport

/// Inputs that crashed the reader under libFuzzer (Training/onnx/fuzz/fuzz-reader.sh), kept in
/// Fixtures/fuzz/: each must now import or throw an ``ONNXImportError``.
@Suite struct FuzzRegressionTests {
    static let inputs: [URL] = {
        let directory = Fixtures.directory.appendingPathComponent("fuzz")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }()

    @Test func keptInputsExist() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func keptInputIsHandled(url: URL) throws {
        let data = try Data(contentsOf: url)
        if let graph = try? ONNXGraph(serialized: data, file: url.lastPathComponent) {
            _ = graph.initializers.values.map(\.integers)
        }
        do {
            _ = try ONNXImporter.importModel(serialized: data, file: url.lastPathComponent, as: Float.self)
        } catch is ONNXImportError {
            return
        }
    }

    @Test func nonIntegerPadsAreAnError() throws {
        var proto = try Onnx_ModelProto(serializedBytes: Fixtures.data("padding_forms"))
        let pads = try #require(proto.graph.initializer.firstIndex { $0.name == "pads1" })
        var tensor = Onnx_TensorProto()
        tensor.name = "pads1"
        tensor.dataType = 1
        tensor.dims = [8]
        tensor.floatData = [0, 0, .nan, 2, 0, 0, 2, 1e30]
        proto.graph.initializer[pads] = tensor
        let data: Data = try proto.serializedBytes()
        #expect {
            try ONNXImporter.importModel(serialized: data, as: Float.self)
        } throws: { error in
            (error as? ONNXImportError)?.field == "pads"
        }
    }
}
