import BackMap
import Foundation
import LinearAlgebra

/// Imports ONNX CNNs (from `torch.onnx.export`, tf2onnx, …) as engine networks (docs/ONNX.md).
public enum ONNXImporter {
    /// Reads an `.onnx` file and translates it into an engine network in precision `T`.
    ///
    /// - Throws: ``ONNXImportError`` naming the node, op type and field for anything the engine
    ///   cannot represent exactly; nothing is returned half-built.
    public static func importModel<T: BLASScalar>(contentsOf url: URL, as type: T.Type = T.self) throws
        -> ImportedModel<T>
    {
        try importModel(ONNXGraph(contentsOf: url), as: type)
    }

    /// Translates serialized ONNX bytes; `file` names them in error messages.
    public static func importModel<T: BLASScalar>(
        serialized data: Data, file: String = "<memory>", as type: T.Type = T.self
    ) throws -> ImportedModel<T> {
        try importModel(ONNXGraph(serialized: data, file: file), as: type)
    }

    /// Translates a parsed graph.
    public static func importModel<T: BLASScalar>(_ graph: ONNXGraph, as type: T.Type = T.self) throws
        -> ImportedModel<T>
    {
        var translator = try Translator<T>(graph: graph)
        let model = try translator.run()
        do {
            _ = try model.network.folded()
        } catch let error as NetworkError {
            throw ONNXImportError(
                .unsupportedShape, file: graph.file, node: error.node, message: error.message)
        }
        return model
    }
}
