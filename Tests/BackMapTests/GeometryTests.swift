import Testing

@testable import BackMap

/// Padding conventions against hand-computed small cases (NOTES.md §5).
@Suite struct GeometryTests {
    let input4 = Shape(height: 4, width: 4, channels: 1)
    /// x[r, c] = 10 r + c, so every window sum is easy to check by hand.
    var image: [Double] { (0..<16).map { Double(10 * ($0 / 4) + $0 % 4) } }

    func convolve(_ padding: Padding, stride: Int) throws -> [Double] {
        var network = Network<Double>(inputShape: input4)
        try network.add(
            "conv",
            .convolution(
                Convolution(
                    kernel: Array(repeating: 1, count: 9), kernelHeight: 3, kernelWidth: 3,
                    inChannels: 1, outChannels: 1, stride: stride, padding: padding)))
        return try network.folded().forward(image).output
    }

    @Test func tfSameStrideTwoPadsOnlyAfter() throws {
        let g = try #require(
            WindowGeometry(
                input: Shape(height: 32, width: 32, channels: 1), kernelHeight: 3, kernelWidth: 3,
                stride: 2, padding: .tfSame))
        #expect(g.padTop == 0 && g.padLeft == 0 && g.outputHeight == 16 && g.outputWidth == 16)
        // Windows start at rows 0 and 2: [0,2] and [2,3]+pad.
        let out = try convolve(.tfSame, stride: 2)
        // 0+1+2+10+11+12+20+21+22, 2+3+12+13+22+23, 20+21+22+30+31+32, 22+23+32+33
        let expected: [Double] = [99, 75, 156, 110]
        #expect(out == expected)
    }

    @Test func symmetricStrideTwoPadsBefore() throws {
        // Windows start at rows −1 and 1.
        let out = try convolve(.symmetric, stride: 2)
        // 0+1+10+11, 1+2+3+11+12+13, 10+11+20+21+30+31, 11+12+13+21+22+23+31+32+33
        let expected: [Double] = [22, 42, 123, 198]
        #expect(out == expected)
    }

    @Test func tfSameStrideOneAndValid() throws {
        let same = try convolve(.tfSame, stride: 1)
        #expect(same.count == 16)
        #expect(same[0] == 22)
        #expect(same[15] == 110)
        let valid = try convolve(.valid, stride: 1)
        #expect(valid == [99, 108, 189, 198])
        let explicit = try convolve(.explicit(top: 1, bottom: 0, left: 0, right: 0), stride: 1)
        #expect(explicit.count == 6)
        #expect(explicit[0] == 36)
    }

    @Test func averagePoolCountsOnlyValidElements() throws {
        var network = Network<Double>(inputShape: input4)
        try network.add("pool", .averagePool(window: 3, stride: 2, padding: .tfSame))
        let out = try network.folded().forward(image).output
        #expect(out[0] == 99 / 9.0)
        #expect(out[3] == 110 / 4.0)
    }

    @Test func maxPoolIgnoresPadding() throws {
        var network = Network<Double>(inputShape: input4)
        try network.add("pool", .maxPool(window: 3, stride: 2, padding: .tfSame))
        let negative = image.map { -$0 - 1 }
        let out = try network.folded().forward(negative).output
        // The padded border would give 0 if it took part; the valid maximum is −23.
        #expect(out[3] == -23)
    }

    @Test func scalarBiasBeforePaddedConvKeepsBorderZero() throws {
        var network = Network<Double>(inputShape: Shape(height: 2, width: 2, channels: 1))
        try network.add("b", .scalarBias(5))
        try network.add(
            "conv",
            .convolution(
                Convolution(
                    kernel: Array(repeating: 1, count: 9), kernelHeight: 3, kernelWidth: 3,
                    inChannels: 1, outChannels: 1, padding: .symmetric)))
        let folded = try network.folded()
        let x: [Double] = [1, 2, 3, 4]
        // Every window sees the four valid elements (x + 5); the padding stays 0.
        #expect(try folded.forward(x).output == Array(repeating: 10 + 20, count: 4))
        #expect(try network.evaluate(x).last == Array(repeating: 30, count: 4))
        let h = try folded.backMap(x, mode: .rm2(layer: 0, channel: 0, row: 0, column: 0))
        #expect(h.bias == [4])
        #expect(h.reconstructed == 30)
    }

    @Test func shapeErrorsNameTheNode() throws {
        var network = Network<Float>(inputShape: input4)
        #expect(throws: NetworkError.self) {
            try network.add("fc", .dense(Dense(weight: [1, 2], inFeatures: 2, outFeatures: 1)))
        }
        try network.add("relu", .relu)
        #expect(throws: NetworkError(node: "relu", message: "the name is already used")) {
            try network.add("relu", .relu)
        }
    }
}

/// Region-restricted kernels agree with the full ones.
@Suite struct PatchKernelTests {
    @Test(arguments: [Padding.tfSame, .symmetric, .valid, .explicit(top: 2, bottom: 0, left: 1, right: 2)])
    func convolutionAndPoolOnPatches(_ padding: Padding) throws {
        var g = SeededGenerator(seed: 9)
        let shape = Shape(height: 9, width: 7, channels: 2)
        for stride in [1, 2] {
            let geometry = try #require(
                WindowGeometry(
                    input: shape, kernelHeight: 3, kernelWidth: 3, stride: stride, padding: padding))
            let region = Region(rows: 2..<5, columns: 4..<7)
            let batch = 2
            let patch = Patch<Double>(
                values: Support.randomArray(batch * region.positions * 2, &g), region: region, channels: 2)
            let full = patch.dense(shape: shape, batch: batch)
            let kernel: [Double] = Support.randomArray(9 * 2 * 3, &g)
            let expected = Kernels.convolve(
                full, batch: batch, geometry: geometry, kernel: kernel, outChannels: 3)
            let out = Shape(height: geometry.outputHeight, width: geometry.outputWidth, channels: 3)
            let result = Kernels.convolve(
                patch, batch: batch, geometry: geometry, kernel: kernel, outChannels: 3)
            let dense = result?.dense(shape: out, batch: batch) ?? []
            #expect(zip(dense, expected).allSatisfy { abs($0 - $1) < 1e-12 })
            // Adjoint identity on patches: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩.
            let y = Patch<Double>(
                values: Support.randomArray(batch * 2 * 3, &g),
                region: Region(rows: 1..<2, columns: 0..<2), channels: 3)
            let back = try #require(
                Kernels.convolveTransposed(
                    y, batch: batch, geometry: geometry, kernel: kernel, outChannels: 3))
            let lhs = zip(expected, y.dense(shape: out, batch: batch)).map(*).reduce(0, +)
            let rhs = zip(full, back.dense(shape: shape, batch: batch)).map(*).reduce(0, +)
            #expect(abs(lhs - rhs) < 1e-12)
            // Stride 1: the transpose as a convolution with the flipped kernel gives the same.
            if let transposed = TransposedConvolution(kernel: kernel, geometry: geometry, outChannels: 3) {
                let flipped = try #require(
                    Kernels.convolve(
                        y, batch: batch, geometry: transposed.geometry, kernel: transposed.kernel,
                        outChannels: transposed.outChannels))
                let a = flipped.dense(shape: shape, batch: batch)
                let b = back.dense(shape: shape, batch: batch)
                #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }, "\(padding)")
            } else {
                #expect(stride != 1, "stride 1 must have a transposed convolution (\(padding))")
            }
            // Average pooling.
            let pool = try #require(
                WindowGeometry(
                    input: shape, kernelHeight: 3, kernelWidth: 3, stride: stride, padding: padding))
            let pooledOut = Shape(height: pool.outputHeight, width: pool.outputWidth, channels: 2)
            let pooled =
                Kernels.averagePool(patch, batch: batch, geometry: pool)?.dense(
                    shape: pooledOut, batch: batch) ?? []
            let pooledFull = Kernels.averagePool(full, batch: batch, geometry: pool)
            #expect(zip(pooled, pooledFull).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }
}
