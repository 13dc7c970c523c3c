import BackMap
import LinearAlgebra
import ONNXImport

/// What `backmap inspect` prints, as tables or JSON.
struct InspectionReport: Encodable {
    struct Operator: Encodable {
        var node: String
        var opType: String
        var became: String
    }

    struct LayerRow: Encodable {
        var index: Int
        var name: String
        var kind: String
        var input: String
        var output: String
        var units: Int
        var ownBias: Int
    }

    struct BiasSource: Encodable {
        var source: String
        var entries: Int
        var ownBiasOf: String?
    }

    struct Verification: Encodable {
        struct Row: Encodable {
            var layer: String
            var withinOnePercent: Double
            var maxAbsError: Double
            var medianAbsError: Double
        }

        var images: Int
        var source: String
        var layers: [Row]
        var seconds: Double
    }

    var file: String
    var opset: Int
    var producer: String
    var input: String
    var output: String
    var biasCount: Int
    var jointInputCount: Int
    var operators: [Operator]
    var layers: [LayerRow]
    var biasSources: [BiasSource]
    var importSeconds = 0.0
    var verification: Verification?

    init<T: BLASScalar>(model: ImportedModel<T>, network: FoldedNetwork<T>, file: String) {
        self.file = file
        opset = model.opset
        producer = model.producer
        input = "\(model.inputName) (\(model.inputLayout)) → engine \(network.inputShape)"
        output = model.outputName
        biasCount = network.biasValues.count
        jointInputCount = network.jointInputCount
        operators = model.notes.map { Operator(node: $0.node, opType: $0.opType, became: $0.became) }
        let classifier = network.classifier?.index
        layers = network.layers.map {
            LayerRow(
                index: $0.index, name: $0.name,
                kind: $0.index == classifier ? "dense (fc)" : $0.kind.rawValue, input: "\($0.inputShape)",
                output: "\($0.shape)", units: $0.units, ownBias: $0.ownBias?.count ?? 0)
        }
        var sources = [BiasSource]()
        for entry in network.biasEntries {
            if sources.last?.source == entry.source {
                sources[sources.count - 1].entries += 1
            } else {
                sources.append(BiasSource(source: entry.source, entries: 1, ownBiasOf: entry.layer))
            }
        }
        biasSources = sources
    }

    func printTables() {
        print("\(file): opset \(opset), \(producer.isEmpty ? "unknown producer" : producer)")
        print("input \(input); output \(output)")
        print(String(format: "imported and folded in %.3f s\n", importSeconds))
        Console.table([["ONNX node", "op", "became"]] + operators.map { [$0.node, $0.opType, $0.became] })
        print("\nLayers (the analysis addresses them by index or by ONNX node name):")
        Console.table(
            [["#", "name", "kind", "input", "output", "units", "own x_b"]]
                + layers.map {
                    ["\($0.index)", $0.name, $0.kind, $0.input, $0.output, "\($0.units)", "\($0.ownBias)"]
                })
        print("\nx_b: \(biasCount) entries (d_in = \(jointInputCount)), by source:")
        Console.table(
            [["source", "entries", "own bias of"]]
                + biasSources.map { [$0.source, "\($0.entries)", $0.ownBiasOf ?? "-"] })
        guard let verification else { return }
        print(
            "\nIdentity on \(verification.images) image(s) (\(verification.source)), "
                + String(format: "%.3f s:", verification.seconds))
        Console.table(
            [["layer", "% |ε| ≤ 1%", "max |ε|", "median |ε|"]]
                + verification.layers.map {
                    [
                        $0.layer, String(format: "%.4f", $0.withinOnePercent),
                        Console.scientific($0.maxAbsError),
                        Console.scientific($0.medianAbsError),
                    ]
                })
    }
}
