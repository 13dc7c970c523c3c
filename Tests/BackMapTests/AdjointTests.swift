import Testing

@testable import BackMap

/// Forward mode against reverse mode, finite differences, streamed verification.
@Suite struct AdjointTests {
    @Test func dotProductTest() throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 31, as: Double.self)
        var g = SeededGenerator(seed: 32)
        for layerIndex in net.layers.indices {
            let layer = net.layers[layerIndex]
            let jacobian = try net.jacobian(image, layer: layerIndex)
            let v: [Double] = Support.randomArray(net.jointInputCount, &g)
            let u: [Double] = Support.randomArray(layer.units, &g)
            // J v (forward mode, from the streamed Jacobian) …
            var jv = [Double](repeating: 0, count: layer.units)
            for row in 0..<layer.units {
                for column in 0..<net.jointInputCount { jv[row] += jacobian.matrix[row, column] * v[column] }
            }
            // … against Jᵀ u (reverse mode).
            let pass = try net.forward(image, scale: 0.125)
            let (hImage, hBias) = net.pullback(seeds: u, at: layer.node, batch: 1, pass: pass)
            let lhs = zip(jv, u).map(*).reduce(0, +)
            let rhs = zip(hImage + hBias, v).map(*).reduce(0, +)
            #expect(abs(lhs - rhs) <= 1e-10 * max(1, abs(lhs)), "\(layer.name)")
        }
    }

    @Test func jacobianRowsAreHypersurfaces() throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 33, as: Double.self)
        let jacobian = try net.jacobian(image, layer: 2, chunkSize: 7)
        let shape = net.layers[2].shape
        let h = try net.backMap(image, mode: .rm2(layer: 2, channel: 1, row: 1, column: 2))
        let unit = shape.index(row: 1, column: 2, channel: 1)
        let row = Array(
            jacobian.matrix.storage[(unit * net.jointInputCount)..<((unit + 1) * net.jointInputCount)])
        #expect(zip(row, h.image + h.bias).allSatisfy { abs($0 - $1) < 1e-13 })
        #expect(Array(jacobian.image(ofUnit: unit)) == Array(row.prefix(net.inputShape.count)))
        #expect(Array(jacobian.bias(ofUnit: unit)) == Array(row.dropFirst(net.inputShape.count)))
    }

    @Test func finiteDifferences() throws {
        var net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 34, as: Double.self)
        let layer = net.layers[2]
        let unit = layer.shape.index(row: 1, column: 1, channel: 0)
        let h = try net.backMap(image, mode: .rm2(layer: 2, channel: 0, row: 1, column: 1))
        let step = 1e-6
        func value(_ x: [Double], _ network: FoldedNetwork<Double>) throws -> Double {
            try network.forward(x).values(of: layer)[unit]
        }
        for pixel in [0, 17, 40, 100, 150, 191] {
            var plus = image
            var minus = image
            plus[pixel] += step
            minus[pixel] -= step
            let slope = (try value(plus, net) - value(minus, net)) / (2 * step)
            #expect(abs(slope - h.image[pixel]) < 1e-6, "pixel \(pixel)")
        }
        let original = net.biasValues
        for entry in [0, 3, 6, 9] {
            net.biasValues = original
            net.biasValues[entry] += step
            let up = try value(image, net)
            net.biasValues[entry] -= 2 * step
            let down = try value(image, net)
            #expect(abs((up - down) / (2 * step) - h.bias[entry]) < 1e-6, "bias \(entry)")
        }
    }

    @Test(arguments: [true, false]) func streamedReconstructionFloat64(_ includeOwnBias: Bool) throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 35, as: Double.self)
        let options = VerificationOptions(chunkSize: 10, includeOwnBias: includeOwnBias)
        let layers = try net.reconstructLayers(image, options: options)
        #expect(layers.map(\.layer.index) == [1, 2, 3])
        for layer in layers {
            let scale = layer.actual.map(abs).max() ?? 1
            for (c, cHat) in zip(layer.actual, layer.reconstructed) {
                #expect(abs(c - cHat) <= 1e-12 * max(scale, 1))
            }
        }
    }

    /// The streamed split `⟨x|H^I⟩`, `⟨x_b|H^b⟩` of every unit equals the adjoint's split.
    @Test(arguments: [true, false]) func streamedImageBiasSplit(_ includeOwnBias: Bool) throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 37, as: Double.self)
        let options = VerificationOptions(chunkSize: 10, includeOwnBias: includeOwnBias)
        let backMapOptions = BackMapOptions(includeOwnBias: includeOwnBias)
        let analysis = try net.analysis(of: image, options: backMapOptions)
        for layer in try net.reconstructLayers(image, options: options) {
            let scale = max(layer.actual.map(abs).max() ?? 1, 1)
            for (sum, parts) in zip(layer.reconstructed, zip(layer.imageContribution, layer.biasContribution))
            {
                #expect(abs(sum - parts.0 - parts.1) <= 1e-12 * scale)
            }
            let shape = layer.layer.shape
            for unit in stride(from: 0, to: layer.layer.units, by: max(1, layer.layer.units / 5)) {
                let position = unit / shape.channels
                let mode: Mode =
                    layer.layer.kind == .dense
                    ? .rm0(unit: unit, layer: layer.layer.index)
                    : .rm2(
                        layer: layer.layer.index, channel: unit % shape.channels,
                        row: position / shape.width, column: position % shape.width)
                let h = try analysis.backMap(mode)
                #expect(abs(h.imageContribution - layer.imageContribution[unit]) <= 1e-12 * scale)
                #expect(abs(h.biasContribution - layer.biasContribution[unit]) <= 1e-12 * scale)
            }
        }
    }

    @Test func streamedReconstructionFloat32() throws {
        let net = try Support.smallNetwork(as: Float.self)
        let image = Support.image(net.inputShape, seed: 36, as: Float.self)
        for accumulate in [false, true] {
            let layers = try net.reconstructLayers(
                image, options: VerificationOptions(chunkSize: 16, accumulateInDouble: accumulate))
            var statistics = LayerStatistics(layer: "all", index: 0, unitsPerImage: 0)
            for layer in layers { statistics.add(layer.relativeErrors) }
            #expect(statistics.withinOnePercent > 99)
            #expect(statistics.medianAbsError < 1e-5)
        }
    }

    @Test func statisticsAndHistogram() {
        var statistics = LayerStatistics(layer: "conv1", index: 1, unitsPerImage: 4, histogramBins: 4)
        statistics.add([0, 5e-5, -0.02, .nan])
        statistics.add([-7e-5, 1e-3, 0.001, 1])
        #expect(statistics.units == 8)
        #expect(statistics.withinOnePercent == 62.5)
        #expect(statistics.maxAbsError == .infinity)
        #expect(statistics.histogram.counts == [1, 0, 1, 1])
        #expect(statistics.histogram.below == 1 && statistics.histogram.above == 4)
        #expect(
            RelativeError.of(reconstructed: 1e-40, actual: 0) == 1e-40 / Double(Float.leastNormalMagnitude))
    }
}

@Suite struct StatisticsTests {
    @Test func significantErrorIgnoresNearZeroUnits() throws {
        let layer = try Support.smallNetwork(as: Double.self).layers[1]
        let reconstruction = LayerReconstruction<Double>(
            layer: layer, actual: [1, 1e-7, -2, 0], reconstructed: [1.001, 2e-7, -2, 0])
        var statistics = LayerStatistics(layer: layer.name, index: 1, unitsPerImage: 4)
        statistics.add(reconstruction)
        #expect(statistics.maxAbsError == 1)
        #expect(abs(statistics.maxAbsErrorSignificant - 1e-3) < 1e-12)
        #expect(statistics.withinOnePercent == 75)
    }
}
