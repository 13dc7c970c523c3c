import Foundation
import NotebookSupport
import PNGCodec

/// PNG pictures as `data:` URLs for JSON answers.
enum Pictures {
    /// `data:image/png;base64,…` of an image.
    static func dataURL(_ image: PNGImage) throws -> String {
        "data:image/png;base64," + Data(try image.pngData()).base64EncodedString()
    }

    /// A labelled picture.
    static func picture(_ label: String, _ image: PNGImage) throws -> Picture {
        Picture(label: label, png: try dataURL(image))
    }

    /// A 32×32 image in `[0, 1]` (HWC), scaled up.
    static func photo(_ pixels: [Double], width: Int = 32, height: Int = 32, scale: Int) throws -> String {
        try dataURL(
            try Images.rgb(pixels.map { Float($0) }, width: width, height: height, range: 0...1, scale: scale)
        )
    }
}
