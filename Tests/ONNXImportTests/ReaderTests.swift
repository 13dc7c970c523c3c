import Foundation
import Testing

@testable import ONNXImport

/// The committed fixtures (Training/onnx/make-fixtures.sh).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent("\(name).onnx") }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }
}

@Suite struct ReaderTests {
    @Test func readsTorchExportInitializersAndInputs() throws {
        let graph = try ONNXGraph(contentsOf: Fixtures.url("vgg_maxpool"))
        #expect(graph.opset == 18)
        #expect(graph.inputs == [ONNXValueInfo(name: "image", elementType: 1, dims: [1, 3, 16, 16])])
        #expect(graph.outputs.map(\.name) == ["logits"])
        #expect(graph.nodes.map(\.opType).filter { $0 == "Conv" }.count == 3)
        let weights = graph.initializers.values.filter { $0.dims.count == 4 }
        #expect(weights.map(\.count).sorted() == [8 * 3 * 9, 8 * 8 * 9, 16 * 8 * 9])
    }
}
