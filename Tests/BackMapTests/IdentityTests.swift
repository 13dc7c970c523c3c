import Testing

@testable import BackMap

/// The identity c = ⟨x|H^I⟩ + ⟨x_b|H^b⟩ for every mode of every model (random weights).
@Suite struct IdentityTests {
    /// One request per mode, on a layer in the middle of the network.
    static func modes(for kind: ModelKind) -> [Mode] {
        let layer = kind == .vgg7 ? 3 : 8
        return [
            .rm0(unit: 3),
            .rm1(layer: layer, channel: 5),
            .rm2(layer: layer, channel: 5, row: 4, column: 4),
            .rm3(layer: layer, inChannel: 7, channel: 5),
            .rm4(layer: layer, inChannel: 7, channel: 5, row: 4, column: 4),
        ]
    }

    @Test(arguments: ModelKind.allCases) func everyModeDouble(_ kind: ModelKind) throws {
        let net = try Support.model(kind, as: Double.self)
        let image = Support.image(net.inputShape, seed: 11, as: Double.self)
        let maps = try net.backMaps(image, modes: Self.modes(for: kind))
        for h in maps {
            #expect(abs(h.reconstructed - h.actual) <= 1e-11 * max(1, abs(h.actual)), "\(h.mode)")
            #expect(h.image.count == 3072 && h.bias.count == net.biasValues.count)
            #expect(!h.includesOwnBias)
        }
        // Including the own bias is exact as well and adds the bias to c.
        let with = try net.backMap(
            image, mode: .rm2(layer: 2, channel: 1, row: 0, column: 7),
            options: BackMapOptions(includeOwnBias: true))
        let without = try net.backMap(image, mode: .rm2(layer: 2, channel: 1, row: 0, column: 7))
        let own = try #require(net.layers[2].ownBias)
        let ownValue = net.biasValues[own.count == 1 ? own.lowerBound : own.lowerBound + 1]
        #expect(with.includesOwnBias)
        #expect(abs(with.actual - (without.actual + ownValue)) <= 1e-12 * max(1, abs(with.actual)))
        #expect(abs(with.reconstructed - with.actual) <= 1e-11 * max(1, abs(with.actual)))
    }

    @Test(arguments: ModelKind.allCases) func everyModeFloat(_ kind: ModelKind) throws {
        let net = try Support.model(kind, as: Float.self)
        let image = Support.image(net.inputShape, seed: 12, as: Float.self)
        for h in try net.backMaps(image, modes: Self.modes(for: kind)) {
            let scale = max(1, abs(h.imageContribution) + abs(h.biasContribution))
            #expect(abs(h.reconstructed - h.actual) <= 1e-4 * scale, "\(h.mode)")
        }
    }

    @Test func invariantToK() throws {
        let net = try Support.model(.resnet20, as: Double.self)
        let image = Support.image(net.inputShape, seed: 13, as: Double.self)
        let mode = Mode.rm2(layer: 12, channel: 3, row: 2, column: 9)
        let reference = try net.backMap(image, mode: mode)
        for k in [1.0, 0.001, 5.0] {
            let h = try net.backMap(image, mode: mode, options: BackMapOptions(scale: k))
            let worst =
                zip(h.image + h.bias, reference.image + reference.bias)
                .map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-12, "k = \(k)")
        }
        #expect(throws: BackMapError.self) {
            try net.backMap(image, mode: mode, options: BackMapOptions(scale: -1))
        }
    }

    @Test func invalidRequestsAreRejected() throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 1, as: Double.self)
        #expect(throws: BackMapError.self) {
            try net.backMap(image, mode: .rm2(layer: 9, channel: 0, row: 0, column: 0))
        }
        #expect(throws: BackMapError.self) {
            try net.backMap(image, mode: .rm2(layer: 3, channel: 0, row: 0, column: 0))
        }
        #expect(throws: BackMapError.self) { try net.backMap(image, mode: .rm0(unit: 0, layer: 1)) }
        #expect(throws: BackMapError.self) { try net.backMap(image, mode: .rm1(layer: 1, channel: 5)) }
        #expect(throws: BackMapError.self) { try net.backMap([1, 2], mode: .rm0(unit: 0)) }
    }
}

/// RM2 = Σ_j RM4, RM3 = Σ_s RM4, RM1 = Σ_s RM2 = Σ_j RM3 (NOTES.md §3).
@Suite struct ModeRelationTests {
    func sum(_ maps: [HyperSurface<Double>]) -> [Double] {
        var total = [Double](repeating: 0, count: maps[0].image.count + maps[0].bias.count)
        for map in maps {
            for (i, v) in (map.image + map.bias).enumerated() { total[i] += v }
        }
        return total
    }

    func close(_ a: [Double], _ b: [Double]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
    }

    @Test func modesAreSumsOfEachOther() throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 21, as: Double.self)
        let layer = 1
        let channel = 2
        let shape = net.layers[layer].shape
        let inChannels = net.layers[layer].inputShape.channels
        let positions = (0..<shape.height).flatMap { r in (0..<shape.width).map { (r, $0) } }
        let rm1 = try net.backMap(image, mode: .rm1(layer: layer, channel: channel))
        let rm2 = try net.backMaps(
            image, modes: positions.map { .rm2(layer: layer, channel: channel, row: $0.0, column: $0.1) })
        let rm3 = try net.backMaps(
            image, modes: (0..<inChannels).map { .rm3(layer: layer, inChannel: $0, channel: channel) })
        #expect(close(sum(rm2), rm1.image + rm1.bias))
        #expect(close(sum(rm3), rm1.image + rm1.bias))
        for (r, c) in positions.prefix(5) {
            let rm4 = try net.backMaps(
                image,
                modes: (0..<inChannels).map {
                    .rm4(layer: layer, inChannel: $0, channel: channel, row: r, column: c)
                })
            let rm2unit = try net.backMap(
                image, mode: .rm2(layer: layer, channel: channel, row: r, column: c))
            #expect(close(sum(rm4), rm2unit.image + rm2unit.bias))
            #expect(abs(rm4.map(\.actual).reduce(0, +) - rm2unit.actual) < 1e-12)
        }
        for j in 0..<inChannels {
            let rm4 = try net.backMaps(
                image,
                modes: positions.map {
                    .rm4(layer: layer, inChannel: j, channel: channel, row: $0.0, column: $0.1)
                })
            #expect(close(sum(rm4), rm3[j].image + rm3[j].bias))
            #expect(abs(rm3[j].reconstructed - rm3[j].actual) < 1e-12 * max(1, abs(rm3[j].actual)))
        }
        #expect(abs(rm1.actual - rm2.map(\.actual).reduce(0, +)) < 1e-12)
    }
}

@Suite struct ImageAnalysisTests {
    @Test func cachedAnalysisGivesTheSameHypersurfaces() throws {
        let net = try Support.model(.vgg7, as: Float.self)
        let image = Support.image(net.inputShape, seed: 14, as: Float.self)
        let analysis = try net.analysis(of: image)
        for mode in IdentityTests.modes(for: .vgg7) {
            let cached = try analysis.backMap(mode)
            let direct = try net.backMap(image, mode: mode)
            // The same pattern, so the same hypersurface to the last bit; `c` from a forward
            // pass on the receptive cone (RM2, RM4) may round differently (other GEMM sizes).
            #expect(cached.image == direct.image && cached.bias == direct.bias, "\(mode)")
            #expect(cached.reconstructed == direct.reconstructed, "\(mode)")
            #expect(abs(cached.actual - direct.actual) <= 1e-5 * max(1, abs(cached.actual)), "\(mode)")
        }
        #expect(analysis.output == (try net.forward(image).output))
        #expect(throws: BackMapError.self) { try net.analysis(of: image, options: BackMapOptions(scale: 0)) }
    }
}

@Suite struct ScalingTests {
    /// The shortcut in `forwardPasses`: a power-of-two `k` scales the forward pass exactly.
    @Test(arguments: ModelKind.allCases) func powerOfTwoScaleIsExact(_ kind: ModelKind) throws {
        let net = try Support.model(kind, as: Float.self)
        let image = Support.image(net.inputShape, seed: 15, as: Float.self)
        let direct = try net.forward(image, scale: 1)
        let (_, derived) = try net.forwardPasses(image, scale: 0.125, through: net.nodeNames.count - 1)
        let nodes = direct.values.indices
        #expect(nodes.map { derived.value(at: $0) } == nodes.map { direct.value(at: $0) })
        #expect(derived.readScale == 8 && derived.values != direct.values)
        #expect(derived.slopes == direct.slopes && derived.selections == direct.selections)
    }
}
