import BackMap
import Foundation
import LinearAlgebra
import NotebookSupport

/// An image as the explorer holds it: `32 × 32 × 3` values in `[0, 1]`, HWC.
struct ExplorerImage: Sendable {
    var reference: ImageReference
    var pixels: [Double]
}

/// One loaded model in one precision, whatever that precision is.
protocol ModelWorkbench: Sendable {
    var summary: ModelSummary { get }
    func predictedClass(of image: ExplorerImage) throws -> Int
    func features(of image: ExplorerImage, layer: Int) throws -> FeatureMaps
    func backMap(_ query: ExplorerQuery, image: ExplorerImage) throws -> BackMapAnswer
    func strongestUnits(of image: ExplorerImage, layer: Int, count: Int) throws -> [Location]
}

/// A model in precision `T` with the forward passes of recent images kept, so that a click
/// on a unit costs one adjoint pass.
final class Workbench<T: BLASScalar>: ModelWorkbench {
    let model: BundledModel<T>
    let summary: ModelSummary
    private let analyses = RecentCache<AnalysisKey, ImageAnalysis<T>>(capacity: 24)

    private struct AnalysisKey: Hashable, Sendable {
        var image: ImageReference
        var options: BackMapOptions
    }

    init(model: BundledModel<T>, selection: ModelSelection, testImages: Int) {
        self.model = model
        self.summary = ModelSummary(
            model: selection.model.rawValue, precision: selection.precision.rawValue,
            layers: model.network.layers.map(Self.summary), classes: TestImage.cifar10ClassNames,
            provenance: "\(model.provenance)", testImages: testImages)
    }

    static func summary(_ layer: Layer) -> LayerSummary {
        LayerSummary(
            index: layer.index, name: layer.name, kind: layer.kind.rawValue, height: layer.shape.height,
            width: layer.shape.width, channels: layer.shape.channels, inChannels: layer.inputShape.channels)
    }

    /// The forward passes of `image` under `options`, computed once.
    func analysis(of image: ExplorerImage, options: BackMapOptions = .init()) throws -> ImageAnalysis<T> {
        try analyses.value(for: AnalysisKey(image: image.reference, options: options)) {
            try model.network.analysis(of: image.pixels.map { T($0) }, options: options)
        }
    }

    func predictedClass(of image: ExplorerImage) throws -> Int {
        let output = try analysis(of: image).output
        return output.indices.max { output[$0] < output[$1] } ?? 0
    }

    func features(of image: ExplorerImage, layer index: Int) throws -> FeatureMaps {
        let layer = try ModeValidation.layer(index, of: model.network)
        let analysis = try analysis(of: image)
        let values = analysis.values(of: layer)
        let limit = Float(values.maximumMagnitude)
        let scale = 1
        var pictures: [Picture] = []
        var strongest: Int?
        if layer.kind == .convolution {
            for channel in 0..<layer.shape.channels {
                let plane = values.channel(channel).values.map { Float($0) }
                let png = try Images.diverging(
                    plane, width: layer.shape.width, height: layer.shape.height, limit: limit, scale: scale)
                pictures.append(try Pictures.picture("channel \(channel)", png))
            }
            let totals = values.sumOverPositions()
            strongest = totals.indices.max { totals[$0] < totals[$1] }
        } else {
            let row = values.values.map { Float($0) }
            let png = try Images.diverging(row, width: row.count, height: 1, limit: limit)
            pictures.append(try Pictures.picture("\(layer.name) units", png))
        }
        let logits = analysis.output.map { Double($0) }
        let predicted = logits.indices.max { logits[$0] < logits[$1] } ?? 0
        return FeatureMaps(
            layer: Self.summary(layer), image: "\(image.reference)", channels: pictures,
            scale: scale, limit: Double(limit), strongestChannel: strongest,
            predicted: TestImage.className(of: predicted), logits: logits)
    }

    /// The peak unit of each of the `count` channels whose peaks are the largest.
    func strongestUnits(of image: ExplorerImage, layer index: Int, count: Int) throws -> [Location] {
        let layer = try ModeValidation.layer(index, of: model.network)
        let values = try analysis(of: image).values(of: layer)
        let peaks = (0..<layer.shape.channels).map { values.argmax(inChannel: $0) }
        return Array(peaks.sorted { values[$0] > values[$1] }.prefix(count))
    }

    func backMap(_ query: ExplorerQuery, image: ExplorerImage) throws -> BackMapAnswer {
        let start = DispatchTime.now()
        try ModeValidation.check(query.mode, in: model.network)
        let h = try analysis(of: image, options: query.options).backMap(query.mode)
        var other = query.options
        other.scale = query.scale == 1 ? 0.125 : 1
        let atOtherScale = try analysis(of: image, options: other).backMap(query.mode)
        // One pixel per image pixel: the page scales the pictures up and outlines the receptive
        // field itself, so a click costs a few small PNG encodings rather than large ones.
        let figure = try h.figure(
            HyperSurfaceDisplay(scale: 1, overlay: query.overlay, outlinesReceptiveField: false))
        let limit = figure.colorBar?.limit ?? 0
        let field = h.receptiveField
        let answer = BackMapAnswer(
            mode: "\(h.mode)", layerName: h.layerName,
            figure: "data:image/svg+xml;base64," + Data(figure.svg.utf8).base64EncodedString(),
            panels: try figure.panels.map { try Pictures.picture($0.label, $0.image) },
            colorBar: try Pictures.dataURL(try Images.colorBar(limit: Float(limit), width: 1, height: 128)),
            colorBarLimit: limit, receptiveField: "\(field)",
            receptiveFieldBounds: [
                field.rows.lowerBound, field.rows.upperBound, field.columns.lowerBound,
                field.columns.upperBound,
            ],
            actual: Double(h.actual), reconstructed: Double(h.reconstructed), relativeError: h.relativeError,
            imageContribution: Double(h.imageContribution), biasContribution: Double(h.biasContribution),
            k: Double(h.scale), includesOwnBias: h.includesOwnBias,
            scaleCheck: ScaleCheck(
                k: other.scale, relativeDistance: Double(h.relativeDistance(to: atOtherScale)),
                reconstructed: Double(atOtherScale.reconstructed)),
            biasGroups: h.biasByLayer.map {
                BiasShare(
                    source: $0.source, layer: $0.layer, count: $0.terms.count, contribution: $0.contribution,
                    magnitude: $0.magnitude)
            },
            milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
        return answer
    }
}
