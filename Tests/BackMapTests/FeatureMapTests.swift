import Testing

@testable import BackMap

/// The shaped value type against the flat HWC layout the kernels use.
@Suite struct FeatureMapTests {
    static let shape = Shape(height: 3, width: 4, channels: 5)
    static let map = FeatureMap((0..<60).map { Double(($0 * 37) % 61) - 30 }, shape: shape)

    @Test func subscriptsFollowTheFlatLayout() {
        let map = Self.map
        for row in 0..<3 {
            for column in 0..<4 {
                for channel in 0..<5 {
                    #expect(map[row, column, channel] == map.values[(row * 4 + column) * 5 + channel])
                }
            }
        }
        var changed = map
        changed[2, 1, 3] = 100
        #expect(changed.values[(2 * 4 + 1) * 5 + 3] == 100)
        #expect(changed.count == 60 && changed[0] == map.values[0])
    }

    @Test func channelPlanesAndSums() {
        let map = Self.map
        let plane = map.channel(2)
        #expect(plane.shape == Shape(height: 3, width: 4, channels: 1))
        #expect(plane.values == stride(from: 2, to: 60, by: 5).map { map.values[$0] })
        let totals = map.sumOverPositions()
        for channel in 0..<5 {
            #expect(
                totals[channel] == stride(from: channel, to: 60, by: 5).map { map.values[$0] }.reduce(0, +))
        }
        let perPosition = map.sumOverChannels()
        #expect(perPosition.values == (0..<12).map { map.values[($0 * 5)..<($0 * 5 + 5)].reduce(0, +) })
        #expect(map.sum() == map.values.reduce(0, +))
        #expect(map.maximumMagnitude == map.values.map(abs).max())
    }

    @Test func argmaxMatchesALinearScan() {
        let map = Self.map
        let best = map.values.indices.max { map.values[$0] < map.values[$1] } ?? -1
        #expect(map.argmax() == map.location(ofIndex: best))
        for channel in 0..<5 {
            let flat = (0..<12).max { map.values[$0 * 5 + channel] < map.values[$1 * 5 + channel] } ?? -1
            let location = map.argmax(inChannel: channel)
            #expect(location == Location(row: flat / 4, column: flat % 4, channel: channel))
            #expect(map[location] == map.channel(channel).values.max())
        }
        // Ties: the first maximum in row-major order.
        let ties = FeatureMap([1, 3, 3, 0] as [Double], shape: Shape(height: 2, width: 2, channels: 1))
        #expect(ties.argmax() == Location(row: 0, column: 1, channel: 0))
    }

    @Test func elementWiseArithmeticAndMap() {
        let map = Self.map
        let doubled = map + map
        #expect(doubled.values == map.values.map { 2 * $0 })
        #expect((doubled - map).values == map.values)
        #expect((0.5 * doubled) == map)
        let single: FeatureMap<Float> = map.map { Float($0) }
        #expect(single.shape == map.shape && single.values == map.values.map { Float($0) })
    }

    @Test func forwardValuesAreShapedLikeTheLayer() throws {
        let net = try Support.model(.vgg7, as: Double.self)
        let image = FeatureMap(Support.image(net.inputShape, seed: 3, as: Double.self), shape: net.inputShape)
        let pass = try net.forward(image)
        let conv3 = net.layers[3]
        let values = pass.values(of: conv3)
        #expect(values.shape == conv3.shape)
        let peak = try net.peak(ofLayer: 3, channel: 7, for: image)
        #expect(values[peak] == values.channel(7).values.max())
        let strongest = try net.strongestChannel(ofLayer: 3, for: image)
        #expect(values.sumOverPositions()[strongest] == values.sumOverPositions().max())
        let own = net.ownBias(of: conv3)
        let range = try #require(conv3.ownBias)
        #expect(own[2, 5, 9] == net.biasValues[range.lowerBound + 9] && own.shape == conv3.shape)
        let fixup = try Support.model(.resnet20Fixup, as: Double.self)
        let scalar = try #require(fixup.layers.first { $0.ownBiasIsScalar })
        let scalarRange = try #require(scalar.ownBias)
        #expect(
            fixup.ownBias(of: scalar).values.allSatisfy { $0 == fixup.biasValues[scalarRange.lowerBound] })
        let interior = try net.strongestInteriorUnit(ofLayer: 3, channel: 7, for: image)
        let field = net.receptiveField(layer: 3, row: interior.row, column: interior.column)
        #expect(field.rows.count == field.columns.count && field.rows.count > 3 && field.rows.count < 32)
    }
}

/// Hypersurfaces add, and their bias part splits by layer.
@Suite struct HyperSurfaceValueTests {
    @Test func sumsOfModesAndBiasGroups() throws {
        let net = try Support.model(.vgg7, as: Double.self)
        let image = Support.image(net.inputShape, seed: 5, as: Double.self)
        let rm1 = try net.backMap(image, mode: .rm1(layer: 4, channel: 2))
        let positions = (0..<8).flatMap { row in (0..<8).map { (row, $0) } }
        let rm2s = try net.backMaps(
            image, modes: positions.map { .rm2(layer: 4, channel: 2, row: $0.0, column: $0.1) })
        let sum = try rm2s.sum()
        #expect(sum.terms.count == 64 && sum.mode == rm2s[0].mode)
        #expect(rm1.relativeDistance(to: sum) < 1e-12)
        #expect(abs(sum.reconstructed - rm1.reconstructed) < 1e-10 * max(1, abs(rm1.reconstructed)))
        #expect(throws: BackMapError.self) { try [HyperSurface<Double>]().sum() }

        let groups = rm1.biasByLayer
        #expect(groups.map(\.source) == ["bn0", "bn1", "bn2", "bn3", "bn4", "bn5", "fc.bias"])
        #expect(groups.map(\.terms.count).reduce(0, +) == net.biasValues.count)
        let total = groups.map(\.contribution).reduce(0, +)
        #expect(abs(total - rm1.biasContribution) < 1e-12 * max(1, abs(rm1.biasContribution)))
        // Layers after the mapped one (conv4) cannot feed it.
        #expect(groups.suffix(2).allSatisfy { $0.magnitude == 0 })
        #expect(
            groups[0].terms[3].value == net.biasValues[3] && groups[0].terms[3].coefficient == rm1.bias[3])
    }

    @Test func receptiveFieldOfOneUnit() throws {
        let net = try Support.model(.vgg7, as: Double.self)
        let image = Support.image(net.inputShape, seed: 6, as: Double.self)
        let h = try net.backMap(image, mode: .rm2(layer: 2, channel: 1, row: 8, column: 8))
        #expect(h.receptiveField == net.receptiveField(layer: 2, row: 8, column: 8))
        // H^I vanishes outside the field, and not everywhere inside it.
        var inside = 0.0
        for row in 0..<32 {
            for column in 0..<32 {
                for channel in 0..<3 {
                    let isInside =
                        h.receptiveField.rows.contains(row) && h.receptiveField.columns.contains(column)
                    if isInside {
                        inside += abs(h.image[row, column, channel])
                    } else {
                        #expect(h.image[row, column, channel] == 0)
                    }
                }
            }
        }
        #expect(inside > 0)
        let rm0 = try net.backMap(image, mode: .rm0(unit: 1))
        #expect(rm0.receptiveField == .whole(net.inputShape))
    }
}
