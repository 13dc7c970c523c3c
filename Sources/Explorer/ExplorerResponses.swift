/// A picture in a response: a PNG as a `data:` URL, with its label.
public struct Picture: Codable, Hashable, Sendable {
    /// What the picture shows (`Hᴵ red`, `channel 5`).
    public var label: String
    /// `data:image/png;base64,…`.
    public var png: String
}

/// A layer of a model, as the explorer lists it.
public struct LayerSummary: Codable, Hashable, Sendable {
    /// Index in the model's layers (the `layer` field of a request).
    public var index: Int
    /// `conv3`, `fc`.
    public var name: String
    /// `convolution` or `dense`.
    public var kind: String
    /// Rows, columns and channels of the layer's units.
    public var height: Int, width: Int, channels: Int
    /// Channels of the layer's input (the range of RM3/RM4's in-channel).
    public var inChannels: Int
}

/// `GET /api/model`: a model's layers, classes and where its weights come from.
public struct ModelSummary: Codable, Hashable, Sendable {
    /// `vgg7`, `resnet20`, `resnet20-fixup`.
    public var model: String
    /// `float` or `double`.
    public var precision: String
    /// The layers a back-map can start from.
    public var layers: [LayerSummary]
    /// Class names, by label.
    public var classes: [String]
    /// The weights' provenance, one line.
    public var provenance: String
    /// How many test images can be chosen (indices `0..<testImages`).
    public var testImages: Int
}

/// One test image of the thumbnail strip.
public struct Thumbnail: Codable, Hashable, Sendable {
    /// The index in `test_batch.bin`.
    public var index: Int
    /// The true class's name.
    public var label: String
    /// The class the model predicts.
    public var predicted: String
    /// The image, 32×32.
    public var png: String
}

/// `GET /api/features`: a layer's feature maps on one image, to click a unit on.
public struct FeatureMaps: Codable, Hashable, Sendable {
    /// The layer.
    public var layer: LayerSummary
    /// The image, as in the request.
    public var image: String
    /// One picture per channel (unit values before the own bias, on one diverging scale),
    /// `scale` pixels per unit; for a dense layer one picture of all its units in a row.
    public var channels: [Picture]
    /// Pixels per unit in ``channels`` (the page scales them up).
    public var scale: Int
    /// The magnitude drawn at full colour.
    public var limit: Double
    /// The channel with the largest total activation (a convolution layer).
    public var strongestChannel: Int?
    /// The class the model predicts for the image, and the logits.
    public var predicted: String
    /// The network output.
    public var logits: [Double]
}

/// A group of `H^b` (one source layer of biases) in a response.
public struct BiasShare: Codable, Hashable, Sendable {
    /// The node of the original network the biases belong to (`bn3`, `fc.bias`).
    public var source: String
    /// The layer they are added to, if any.
    public var layer: String?
    /// How many bias scalars the group holds.
    public var count: Int
    /// `Σ x_b H^b` over the group.
    public var contribution: Double
    /// `Σ |x_b H^b|` over the group.
    public var magnitude: Double
}

/// The same back-map at `k = 1`, to show that the result does not depend on `k`.
public struct ScaleCheck: Codable, Hashable, Sendable {
    /// The other `k`.
    public var k: Double
    /// `max |H − H'| / max |H|` over `[H^I; H^b]`.
    public var relativeDistance: Double
    /// `ĉ` at that `k`.
    public var reconstructed: Double
}

/// `GET /api/backmap`: everything about one hypersurface.
public struct BackMapAnswer: Codable, Hashable, Sendable {
    /// `RM2(layer 3, channel 5, row 8, column 8)`.
    public var mode: String
    /// The mapped layer's name.
    public var layerName: String
    /// The whole figure as the notebooks show it (``HyperSurface/figure(_:)``), one pixel per
    /// image pixel: input, `H^I` RGB and per colour channel on one diverging scale, colour bar
    /// with its ticks (and the overlay when asked for); an SVG `data:` URL.
    public var figure: String
    /// The figure's panels, one 32×32 PNG each (scaled up and outlined by the page).
    public var panels: [Picture]
    /// The colour bar of the panels' diverging scale: a 1×128 PNG, `+limit` at the top.
    public var colorBar: String
    /// The magnitude of the colour bar's ends.
    public var colorBarLimit: Double
    /// The receptive field, `rows a–b, columns c–d (h×w)`, and its bounds (half-open).
    public var receptiveField: String
    /// `[firstRow, endRow, firstColumn, endColumn]`.
    public var receptiveFieldBounds: [Int]
    /// `c`, `ĉ`, `ε` (Eq. 16).
    public var actual: Double, reconstructed: Double, relativeError: Double
    /// `⟨x|H^I⟩` and `⟨x_b|H^b⟩`.
    public var imageContribution: Double, biasContribution: Double
    /// `k` and whether the own bias is included.
    public var k: Double, includesOwnBias: Bool
    /// The same hypersurface at `k = 1`.
    public var scaleCheck: ScaleCheck
    /// `H^b` grouped by source layer, in `x_b` order.
    public var biasGroups: [BiasShare]
    /// Milliseconds the engine and the pictures took for this answer.
    public var milliseconds: Double
}

/// `POST /api/upload`: the identifier of an uploaded image.
public struct UploadAnswer: Codable, Hashable, Sendable {
    /// `upload:<16 hex digits>`, for the `image` field.
    public var image: String
    /// The uploaded image as the explorer reads it.
    public var png: String
}
