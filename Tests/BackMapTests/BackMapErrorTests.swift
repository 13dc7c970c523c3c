import Testing

@testable import BackMap

/// Invalid requests carry what was out of range, and say it.
@Suite struct BackMapErrorTests {
    @Test func outOfRangeRequestsNameLayerModeAndCoordinate() throws {
        let net = try Support.smallNetwork(as: Double.self)
        let image = Support.image(net.inputShape, seed: 1, as: Double.self)
        let count = net.layers.count
        let channels = net.layers[1].shape.channels
        let tooFar = Mode.rm2(layer: 1, channel: channels, row: 0, column: 0)
        let error = #expect(throws: BackMapError.self) { try net.backMap(image, mode: tooFar) }
        #expect(
            error
                == .coordinateOutOfRange(mode: tooFar, coordinate: .channel, value: channels, bound: channels)
        )
        #expect(error?.description == "\(tooFar): channel \(channels) is outside 0..<\(channels)")

        let missing = Mode.rm1(layer: count + 2, channel: 0)
        let layerError = #expect(throws: BackMapError.self) { try net.backMap(image, mode: missing) }
        #expect(layerError == .layerOutOfRange(layer: count + 2, layerCount: count, mode: missing))
        #expect(layerError?.description.hasSuffix("does not exist (layers 0…\(count - 1))") == true)

        let dense = try #require(net.classifier)
        let wrongKind = Mode.rm1(layer: dense.index, channel: 0)
        let kindError = #expect(throws: BackMapError.self) { try net.backMap(image, mode: wrongKind) }
        #expect(
            kindError
                == .wrongLayerKind(
                    mode: wrongKind, layer: dense.index, name: dense.name, kind: .dense, needed: .convolution)
        )

        let sizeError = #expect(throws: BackMapError.self) { try net.forward([1, 2, 3]) }
        #expect(sizeError == .imageSize(values: 3, expected: net.inputShape))
        let scaleError = #expect(throws: BackMapError.self) {
            try net.analysis(of: image, options: BackMapOptions(scale: -2))
        }
        #expect(scaleError == .invalidScale(-2))
        #expect(scaleError?.description == "k must be positive, got -2.0")
    }

    @Test func verificationOptionsShareTheBackMapOptions() {
        var options = VerificationOptions(scale: 0.25, chunkSize: 7, includeOwnBias: true)
        #expect(options.backMap == BackMapOptions(scale: 0.25, includeOwnBias: true))
        options.accumulateInDouble = true
        #expect(options.backMap.accumulateInDouble && options.chunkSize == 7)
    }
}
