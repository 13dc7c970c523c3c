import LinearAlgebra

/// The transpose of a stride-1 convolution, written as a convolution: the output gradient is
/// correlated with the kernel flipped in both spatial directions, in and out channels swapped,
/// and `kernel − 1 − pad` zeros on each side (so the result has the input's size).
struct TransposedConvolution<T: BLASScalar>: Sendable {
    /// Below this many output channels (the forward's input channels) the engine keeps the
    /// scatter transpose.
    static var minimumOutChannels: Int { 8 }

    var kernel: [T]
    var geometry: WindowGeometry
    var outChannels: Int

    /// Nil for strided convolutions and for paddings larger than the kernel allows.
    init?(kernel: [T], geometry g: WindowGeometry, outChannels: Int) {
        guard g.stride == 1 else { return nil }
        let padBottom = g.outputHeight - 1 + g.kernelHeight - g.input.height - g.padTop
        let padRight = g.outputWidth - 1 + g.kernelWidth - g.input.width - g.padLeft
        let pads = (
            top: g.kernelHeight - 1 - g.padTop, bottom: g.kernelHeight - 1 - padBottom,
            left: g.kernelWidth - 1 - g.padLeft, right: g.kernelWidth - 1 - padRight
        )
        guard pads.top >= 0, pads.bottom >= 0, pads.left >= 0, pads.right >= 0,
            let geometry = WindowGeometry(
                input: Shape(height: g.outputHeight, width: g.outputWidth, channels: outChannels),
                kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, stride: 1,
                padding: .explicit(top: pads.top, bottom: pads.bottom, left: pads.left, right: pads.right)),
            geometry.outputHeight == g.input.height, geometry.outputWidth == g.input.width
        else { return nil }
        let inChannels = g.input.channels
        var flipped = [T](repeating: 0, count: kernel.count)
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let source = ((g.kernelHeight - 1 - ky) * g.kernelWidth + g.kernelWidth - 1 - kx) * inChannels
                let target = (ky * g.kernelWidth + kx) * outChannels
                for ci in 0..<inChannels {
                    for co in 0..<outChannels {
                        flipped[(target + co) * inChannels + ci] = kernel[(source + ci) * outChannels + co]
                    }
                }
            }
        }
        self.kernel = flipped
        self.geometry = geometry
        self.outChannels = inChannels
    }
}
