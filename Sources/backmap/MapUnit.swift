import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra
import PNGCodec

/// `backmap map`: the hypersurface of one unit, written as safetensors (and optionally PNG).
struct MapUnit: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Write H^I, H^b, c and ĉ of one unit (or channel sum) to a safetensors file.",
        discussion: """
            --unit lists integers by mode: rm0 K (output), rm1 C (channel), rm2 C,ROW,COL,
            rm3 J,C (in-channel, channel), rm4 J,C,ROW,COL. --layer is an index (0 = conv0) or
            a name (conv3, fc; an ONNX node's name for --model-file).
            """)

    enum ModeName: String, ExpressibleByArgument, CaseIterable, Sendable {
        case rm0, rm1, rm2, rm3, rm4

        /// How many integers `--unit` gives in this mode: rm0 K, rm1 C, rm2 C,ROW,COL, rm3 J,C,
        /// rm4 J,C,ROW,COL.
        var coordinateCount: Int {
            switch self {
            case .rm0, .rm1: 1
            case .rm2: 3
            case .rm3: 2
            case .rm4: 4
            }
        }
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Record index of the image in the data file. (default: 0)", transform: Count.parse)
    var image: Count = 0

    @Option(help: "Layer index or name.", transform: LayerSelector.parse)
    var layer: LayerSelector

    @Option(help: "Reconstruction mode: rm0 … rm4.")
    var mode: ModeName

    @Option(help: "Unit coordinates (see the discussion).", transform: UnitCoordinates.parse)
    var unit: UnitCoordinates

    @Option(help: "Output safetensors file.")
    var out: String

    @Option(help: "Also write H^I as a PNG heat map (red positive, blue negative, summed over RGB).")
    var png: String?

    @Option(help: "k of the evaluation point. (default: 0.125)", transform: EvaluationScale.parse)
    var k: EvaluationScale = 0.125

    @Flag(help: "Include the unit's own bias (rm0–rm2).")
    var includeOwnBias = false

    func validate() throws {
        guard unit.values.count == mode.coordinateCount else {
            throw ValidationError(
                "--unit '\(unit.defaultValueDescription)': \(mode.rawValue) needs \(mode.coordinateCount) integers"
            )
        }
    }

    func run<T: BLASScalar>(_ model: LoadedModel<T>) throws {
        try model.requireCIFARInput()
        let network = model.network
        let image = self.image.value
        let records = try dataOptions.images(limit: image + 1, classes: model.classes)
        guard image < records.count else {
            throw ValidationError("--image \(image): the data file has \(records.count) records")
        }
        let layerIndex = try layer.resolve(in: model)
        let h = try network.backMap(
            records[image].pixels(as: T.self), mode: makeMode(layerIndex),
            options: BackMapOptions(scale: k.value, includeOwnBias: includeOwnBias))
        let shape = h.imageShape
        var file = SafeTensorsFile(metadata: [
            "model": model.name,
            "mode": h.mode.description,
            "image": String(image),
            "label": String(records[image].label),
            "k": String(k.value),
            "includes_own_bias": String(h.includesOwnBias),
            "relative_error": String(h.relativeError),
            "bias_entries": network.biasEntries.map(\.description).joined(separator: ","),
        ])
        file.tensors["H_I"] = tensor(h.image.values, shape: [shape.height, shape.width, shape.channels])
        file.tensors["H_b"] = tensor(h.bias, shape: [h.bias.count])
        file.tensors["c"] = tensor([h.actual], shape: [1])
        file.tensors["c_hat"] = tensor([h.reconstructed], shape: [1])
        try file.write(to: URL(fileURLWithPath: out))
        if let png {
            try HeatMap.image(h.image.values.map { Double($0) }, shape: shape)
                .write(to: URL(fileURLWithPath: png))
        }
        print(
            "\(h.mode): c = \(h.actual), ĉ = \(h.reconstructed) "
                + "(⟨x|H^I⟩ = \(h.imageContribution), ⟨x_b|H^b⟩ = \(h.biasContribution)), "
                + "ε = \(Console.scientific(h.relativeError)) → \(out)")
    }

    func tensor<T: BLASScalar>(_ values: [T], shape: [Int]) -> SafeTensor {
        if let doubles = values as? [Double] { return SafeTensor(doubles, shape: shape) }
        return SafeTensor(values.map { Float($0) }, shape: shape)
    }

    func makeMode(_ layer: Int) -> Mode {
        let numbers = unit.values
        switch mode {
        case .rm0: return .rm0(unit: numbers[0], layer: layer)
        case .rm1: return .rm1(layer: layer, channel: numbers[0])
        case .rm2: return .rm2(layer: layer, channel: numbers[0], row: numbers[1], column: numbers[2])
        case .rm3: return .rm3(layer: layer, inChannel: numbers[0], channel: numbers[1])
        case .rm4:
            return .rm4(
                layer: layer, inChannel: numbers[0], channel: numbers[1], row: numbers[2],
                column: numbers[3])
        }
    }
}

/// A diverging heat map of an image-shaped hypersurface.
enum HeatMap {
    /// Sums channels, scales by the largest magnitude, red for positive, blue for negative,
    /// each pixel enlarged to `zoom × zoom`.
    static func image(_ values: [Double], shape: Shape, zoom: Int = 8) throws -> PNGImage {
        var sums = [Double](repeating: 0, count: shape.positions)
        for (index, value) in values.enumerated() { sums[index / shape.channels] += value }
        let scale = max(sums.map(abs).max() ?? 0, .leastNormalMagnitude)
        let width = shape.width * zoom
        let height = shape.height * zoom
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let v = sums[(y / zoom) * shape.width + x / zoom] / scale
                let fade = UInt8(255 * (1 - min(abs(v), 1)))
                let rgb: [UInt8] = v >= 0 ? [255, fade, fade] : [fade, fade, 255]
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = rgb[c] }
            }
        }
        return try PNGImage(width: width, height: height, format: .rgb8, pixels: pixels)
    }
}
