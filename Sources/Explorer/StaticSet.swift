import BackMap
import Foundation

/// A precomputed part of the explorer for the server-less site: for one model and one test
/// image, the feature maps of every layer and the answers to a fixed set of clicks.
public struct StaticBundle: Codable, Sendable {
    /// `vgg7`, `resnet20`, …
    public var model: String
    /// `float` or `double`.
    public var precision: String
    /// The test image's index.
    public var image: Int
    /// Feature maps by layer index.
    public var features: [String: FeatureMaps]
    /// Answers by ``StaticBundle/key(mode:layer:channel:row:column:unit:)``.
    public var answers: [String: BackMapAnswer]

    /// The key of a precomputed answer: `rm2/3/5/8/8` (mode, layer, channel, row, column) or
    /// `rm0/3` (class unit).
    public static func key(for mode: Mode) -> String? {
        switch mode {
        case .rm0(let unit, nil): "rm0/\(unit)"
        case .rm2(let layer, let channel, let row, let column): "rm2/\(layer)/\(channel)/\(row)/\(column)"
        default: nil
        }
    }
}

extension Explorer {
    /// The precomputed set for one model and image: every layer's feature maps, RM2 of the
    /// `unitsPerLayer` strongest units of every convolution layer, and RM0 of every class
    /// (`k = 1/8`, without the own bias); the answers leave out the SVG figure (the page draws
    /// the panels).
    ///
    /// ```swift
    /// let bundle = try explorer.staticBundle(ModelSelection(model: .vgg7, precision: .float), image: 0, unitsPerLayer: 8)
    /// ```
    /// - Throws: ``ExplorerError`` as the live API does.
    public func staticBundle(_ selection: ModelSelection, image: Int, unitsPerLayer: Int)
        throws(ExplorerError)
        -> StaticBundle
    {
        let summary = try model(selection)
        var bundle = StaticBundle(
            model: selection.model.rawValue, precision: selection.precision.rawValue, image: image,
            features: [:],
            answers: [:])
        var modes: [Mode] = (0..<summary.classes.count).map { .rm0(unit: $0) }
        for layer in summary.layers {
            let maps = try features(
                FeatureQuery(selection: selection, image: .test(image), layer: layer.index))
            bundle.features["\(layer.index)"] = maps
            guard layer.kind == "convolution" else { continue }
            modes += try strongestUnits(selection, image: image, layer: layer.index, count: unitsPerLayer).map
            {
                .rm2(layer: layer.index, channel: $0.channel, row: $0.row, column: $0.column)
            }
        }
        for mode in modes {
            guard let key = StaticBundle.key(for: mode) else { continue }
            var answer = try backMap(
                ExplorerQuery(
                    selection: selection, image: .test(image), mode: mode, scale: 0.125,
                    includeOwnBias: false,
                    overlay: false))
            answer.figure = ""
            bundle.answers[key] = answer
        }
        return bundle
    }
}
