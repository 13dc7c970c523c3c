import NotebookSupport
import PNGCodec
import Testing

@testable import BackMap

/// The picture `show(h)` draws: the colour bar's pixels and the receptive field's outline.
@Suite struct DisplayTests {
    static func pixel(_ image: PNGImage, x: Int, y: Int) -> [UInt8] {
        let offset = (y * image.width + x) * 3
        return Array(image.pixels[offset..<(offset + 3)])
    }

    @Test func figureHasColourBarAndOutline() throws {
        let net = try Support.model(.vgg7, as: Double.self)
        let image = Support.image(net.inputShape, seed: 8, as: Double.self)
        let h = try net.backMap(image, mode: .rm2(layer: 2, channel: 3, row: 6, column: 9))
        let scale = 4
        let figure = try h.figure(.init(scale: scale, overlay: true))
        let raster = figure.raster
        #expect(raster.format == .rgb8)
        #expect(
            figure.panels.map(\.label) == [
                "input x", "Hᴵ (RGB)", "Hᴵ red", "Hᴵ green", "Hᴵ blue", "Σ colours Hᴵ over x",
            ])

        // The colour bar: full red at the top, white in the middle, full blue at the bottom.
        let bar = try #require(figure.colorBarOffset)
        let top = PanelFigure.gap
        let height = 32 * scale
        let x = bar + PanelFigure.barWidth / 2
        let limit = Float(h.image.maximumMagnitude)
        #expect(
            Self.pixel(raster, x: x, y: top)
                == Images.divergingColor(limit * (1 - 1 / Float(height)), limit: limit))
        #expect(
            Self.pixel(raster, x: x, y: top + height - 1)
                == Images.divergingColor(-limit * (1 - 1 / Float(height)), limit: limit))
        #expect(Self.pixel(raster, x: x, y: top + height / 2).allSatisfy { $0 >= 250 })
        #expect(
            Self.pixel(raster, x: x, y: top)[0] > 150
                && Self.pixel(raster, x: x, y: top + height - 1)[2] > 150)

        // The outline lies on the receptive field's border in every panel, and nowhere else.
        let field = h.receptiveField
        #expect(field != .whole(net.inputShape))
        for offset in figure.panelOffsets {
            let left = offset + field.columns.lowerBound * scale
            let right = offset + field.columns.upperBound * scale - 1
            let upper = top + field.rows.lowerBound * scale
            let lower = top + field.rows.upperBound * scale - 1
            for (px, py) in [
                (left, upper), (right, lower), ((left + right) / 2, upper), (left, (upper + lower) / 2),
            ] {
                #expect(Self.pixel(raster, x: px, y: py) == Images.outlineColor)
            }
            if field.columns.lowerBound > 0 {
                #expect(Self.pixel(raster, x: left - 1, y: upper + 2) != Images.outlineColor)
            }
            if field.rows.upperBound < 32 {
                #expect(Self.pixel(raster, x: left + 2, y: lower + 1) != Images.outlineColor)
            }
            #expect(Self.pixel(raster, x: left + 1, y: upper + 1) != Images.outlineColor)
        }
        // The SVG carries the raster and the labels.
        #expect(figure.svg.contains("data:image/png;base64,") && figure.svg.contains("Hᴵ green"))
    }

    @Test func tableAndBiasBreakdown() throws {
        let net = try Support.model(.vgg7, as: Double.self)
        let image = Support.image(net.inputShape, seed: 9, as: Double.self)
        let rm0 = try net.backMap(image, mode: .rm0(unit: 2))
        let rm1 = try net.backMap(image, mode: .rm1(layer: 3, channel: 4))
        let table = rm0.reconstructionTable()
        #expect(table.rows.count == 1 && table.rows[0][1] == Table.fixed(rm0.actual, digits: 6))
        let breakdown = BiasBreakdown([("RM0", rm0), ("RM1", rm1)])
        #expect(
            breakdown.table.rows.count == 2 && breakdown.table.columns.count == 2 + breakdown.sources.count)
        for shares in breakdown.shares { #expect(abs(shares.reduce(0, +) - 100) < 1e-9) }
        #expect(breakdown.shareChart().svg.contains("bn0"))
    }

    @Test func featureMapReconstructionFigure() throws {
        let net = try Support.randomArchitecture(seed: 4, as: Double.self).folded()
        let image = FeatureMap(Support.image(net.inputShape, seed: 4, as: Double.self), shape: net.inputShape)
        let index = try #require(net.layers.firstIndex { $0.kind == .convolution })
        let reconstruction = try #require(try net.reconstructLayers(image, layers: [index]).first)
        #expect(reconstruction.actualMap.shape == net.layers[index].shape)
        #expect(reconstruction.actualMap == (try net.forward(image)).values(of: net.layers[index]))
        let figure = try reconstruction.figure(channel: 0, scale: 3)
        #expect(figure.panels.count == 4 && figure.colorBarOffset != nil)
        // The difference on the shared scale is white: the reconstruction is exact.
        let differencePanel = figure.panels[2].image
        #expect(differencePanel.pixels.allSatisfy { $0 >= 254 })
        #expect(throws: BackMapError.self) { try reconstruction.figure(channel: 999) }
    }
}
