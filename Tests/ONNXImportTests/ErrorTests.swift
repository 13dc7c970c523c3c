import BackMap
import Foundation
import Testing

@testable import ONNXImport

/// Every refusal names what is wrong; each case breaks one thing in a real fixture.
@Suite struct ErrorTests {
    func model(_ name: String) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: Fixtures.data(name))
    }

    func importError(_ proto: Onnx_ModelProto) throws -> ONNXImportError {
        let data: Data = try proto.serializedBytes()
        return try importError(data)
    }

    func importError(_ data: Data) throws -> ONNXImportError {
        do {
            _ = try ONNXImporter.importModel(serialized: data, file: "broken.onnx", as: Float.self)
        } catch let error as ONNXImportError {
            return error
        }
        Issue.record("the import succeeded")
        return ONNXImportError(.invalidModel, file: "", message: "")
    }

    func nodeIndex(_ proto: Onnx_ModelProto, _ opType: String) throws -> Int {
        try #require(proto.graph.node.firstIndex { $0.opType == opType })
    }

    @Test func tanhIsRefusedNamingNodeAndLimitsPage() throws {
        let error = try importError(Fixtures.data("tanh"))
        #expect(error.kind == .notPiecewiseLinear)
        #expect(error.opType == "Tanh")
        #expect(error.node?.isEmpty == false)
        #expect(error.message.contains("piecewise-linear") && error.message.contains("Notebooks/limits.md"))
        #expect(error.description.contains("node '\(error.node ?? "")' (Tanh)"))
    }

    @Test func truncatedAndCorruptFilesAreUnreadable() throws {
        let data = try Fixtures.data("vgg_maxpool")
        let truncated = try importError(data.prefix(data.count / 2))
        #expect(truncated.kind == .unreadable)
        #expect(truncated.message.contains("protobuf"))
        var corrupt = data
        for index in stride(from: 0, to: 64, by: 1) { corrupt[index] = 0xFF }
        #expect(try importError(corrupt).kind == .unreadable)
        #expect(try importError(Data("not a model".utf8)).kind == .unreadable)
        #expect(try importError(Data()).kind == .unreadable)
    }

    @Test func missingFileNamesThePath() throws {
        #expect(throws: ONNXImportError.self) {
            try ONNXImporter.importModel(
                contentsOf: URL(fileURLWithPath: "/nonexistent/x.onnx"), as: Float.self)
        }
    }

    @Test func opsetOutsideTheRangeIsRefused() throws {
        for version: Int64 in [9, 22] {
            var proto = try model("vgg_maxpool")
            proto.opsetImport[0].version = version
            let error = try importError(proto)
            #expect(error.kind == .invalidModel && error.field == "opset_import")
            #expect(error.message.contains("opset \(version)"))
        }
    }

    @Test func dynamicImageSizeNamesTheInputAndAxis() throws {
        var proto = try model("vgg_maxpool")
        proto.graph.input[0].type.tensorType.shape.dim[2].dimParam = "height"
        let error = try importError(proto)
        #expect(error.kind == .unsupportedShape && error.field == "input 'image'")
        #expect(error.message.contains("dimension 2 is dynamic"))
    }

    @Test func unequalStridesNameTheField() throws {
        var proto = try model("vgg_maxpool")
        let conv = try nodeIndex(proto, "Conv")
        let strides = try #require(proto.graph.node[conv].attribute.firstIndex { $0.name == "strides" })
        proto.graph.node[conv].attribute[strides].ints = [1, 2]
        let error = try importError(proto)
        #expect(error.kind == .unsupportedAttribute && error.field == "strides" && error.opType == "Conv")
        #expect(error.node == proto.graph.node[conv].name)
    }

    @Test func unknownAttributeIsRefused() throws {
        var proto = try model("vgg_maxpool")
        let relu = try nodeIndex(proto, "Relu")
        var attribute = Onnx_AttributeProto()
        attribute.name = "approximate"
        attribute.type = .string
        attribute.s = Data("tanh".utf8)
        proto.graph.node[relu].attribute.append(attribute)
        let error = try importError(proto)
        #expect(error.kind == .unsupportedAttribute && error.field == "approximate" && error.opType == "Relu")
    }

    @Test func convolutionWeightOfWrongRankNamesW() throws {
        var proto = try model("vgg_maxpool")
        let conv = try nodeIndex(proto, "Conv")
        let weightName = proto.graph.node[conv].input[1]
        let weight = try #require(proto.graph.initializer.firstIndex { $0.name == weightName })
        let dims = proto.graph.initializer[weight].dims
        proto.graph.initializer[weight].dims = [dims[0], dims[1], dims[2] * dims[3]]
        let error = try importError(proto)
        #expect(error.kind == .unsupportedShape && error.field == "W" && error.message.contains("rank 3"))
    }

    @Test func rawDataOfTheWrongSizeNamesTheTensor() throws {
        var proto = try model("vgg_maxpool")
        let index = try #require(proto.graph.initializer.firstIndex { $0.dims.count == 4 })
        proto.graph.initializer[index].rawData = proto.graph.initializer[index].rawData.dropLast(4)
        let error = try importError(proto)
        #expect(
            error.kind == .invalidModel && error.field == "tensor '\(proto.graph.initializer[index].name)'")
        #expect(error.message.contains("raw_data has"))
    }

    @Test func externalDataIsRefused() throws {
        var proto = try model("vgg_maxpool")
        proto.graph.initializer[0].dataLocation = .external
        #expect(try importError(proto).message.contains("external data"))
    }

    @Test func unsupportedOperatorNamesTheDocs() throws {
        var proto = try model("vgg_maxpool")
        proto.graph.node[try nodeIndex(proto, "Relu")].opType = "Einsum"
        let error = try importError(proto)
        #expect(
            error.kind == .unsupportedOperator && error.opType == "Einsum"
                && error.message.contains("docs/ONNX.md"))
    }

    @Test func productOfActivationsIsNotPiecewiseLinear() throws {
        var proto = try model("resnet_projection")
        let add = try #require(proto.graph.node.firstIndex { $0.opType == "Add" && $0.input.count == 2 })
        proto.graph.node[add].opType = "Mul"
        #expect(try importError(proto).kind == .notPiecewiseLinear)
    }

    @Test func softmaxInsideTheGraphIsRefused() throws {
        var proto = try model("vgg_maxpool")
        proto.graph.node[try nodeIndex(proto, "Relu")].opType = "Softmax"
        let error = try importError(proto)
        #expect(error.kind == .notPiecewiseLinear && error.message.contains("last node"))
    }

    @Test func perChannelPReluSlopesAreRefused() throws {
        var proto = try model("concat_branches")
        let prelu = try nodeIndex(proto, "PRelu")
        let slopeName = proto.graph.node[prelu].input[1]
        var slope = Onnx_TensorProto()
        slope.name = slopeName
        slope.dataType = 1
        slope.dims = [16, 1, 1]
        slope.floatData = (0..<16).map { Float($0) / 20 }
        proto.graph.initializer.removeAll { $0.name == slopeName }
        proto.graph.initializer.append(slope)
        let error = try importError(proto)
        #expect(
            error.kind == .unsupportedShape && error.field == "slope"
                && error.message.contains("16 different slopes"))
    }

    @Test func ceilModeThatChangesTheSizeIsRefused() throws {
        var proto = try model("resnet_projection")
        let conv = try nodeIndex(proto, "Conv")
        proto.graph.node[conv].opType = "MaxPool"
        proto.graph.node[conv].input = [proto.graph.node[conv].input[0]]
        var ceil = Onnx_AttributeProto()
        ceil.name = "ceil_mode"
        ceil.type = .int
        ceil.i = 1
        proto.graph.node[conv].attribute =
            proto.graph.node[conv].attribute.filter {
                ["kernel_shape", "pads"].contains($0.name)
            } + [ceil]
        var strides = Onnx_AttributeProto()
        strides.name = "strides"
        strides.type = .ints
        strides.ints = [3, 3]
        proto.graph.node[conv].attribute.append(strides)
        let error = try importError(proto)
        #expect(error.kind == .unsupportedAttribute && error.field == "ceil_mode")
    }

    @Test func twoGraphInputsAreRefused() throws {
        var proto = try model("vgg_maxpool")
        var second = proto.graph.input[0]
        second.name = "mask"
        proto.graph.input.append(second)
        let error = try importError(proto)
        #expect(error.field == "graph.input" && error.message.contains("mask"))
    }
}
