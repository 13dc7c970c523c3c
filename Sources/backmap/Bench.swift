import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra

/// `backmap bench`: latency and throughput of the engine against the machine's GEMM peak.
struct Bench: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time single-unit back-maps, full-layer Jacobians and whole-network verification.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(
        help: "Repetitions of each single-unit measurement (median reported). (default: 21)",
        transform: Count.parse(atLeast: 1))
    var repeats: Count = 21

    @Option(
        help:
            "Tangent directions per chunk of the Jacobian products. (default: \(VerificationOptions().chunkSize))",
        transform: Count.parse(atLeast: 1))
    var chunkSize = Count(integerLiteral: VerificationOptions().chunkSize)

    @Option(
        help: "Repetitions of the whole-network verification (median reported). (default: 5)",
        transform: Count.parse(atLeast: 1))
    var wholeRepeats: Count = 5

    @Flag(help: "Skip the per-layer Jacobian timings (whole-network verification only).")
    var skipLayers = false

    @Flag(help: "Time the single-unit back-maps only (for profiling them).")
    var singleUnitsOnly = false

    @Flag(help: "Print the time of every node and of its transpose (where a back-map spends it).")
    var nodes = false

    @Option(
        help: "Comma-separated modes to time in the single-unit table (default: all five).",
        transform: ModeSelection.parse)
    var modes = ModeSelection.all

    func run<T: BLASScalar>(_ model: LoadedModel<T>) throws {
        let network = model.network
        let image = try benchImage(model)
        let peak = Benchmark.gemmPeak(as: T.self)
        print(
            "backmap bench: \(model.name), \(modelOptions.precision.rawValue), "
                + "\(ParallelWork.threads) threads (OpenBLAS on one, parallel in Swift), core \(BLAS.coreName), "
                + "d_in = \(network.jointInputCount)")
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let warning = OpenBLASCoreType.benchmarkWarning(coreName: BLAS.coreName, cpuInfo: cpuInfo) {
            print(warning)
        }
        print(String(format: "GEMM peak (1024³, best of 5): %.1f GFLOP/s", peak))
        try timeSingleUnits(network, image)
        if nodes { try timeNodes(network, image) }
        if singleUnitsOnly { return }
        let options = VerificationOptions(chunkSize: chunkSize.value)
        if !skipLayers { try timeLayers(network, image, options: options, peak: peak) }
        try timeWholeNetwork(network, image, options: options, peak: peak)
        if let memory = Benchmark.peakResidentMemory() {
            print(String(format: "Peak resident memory: %.0f MiB", Double(memory) / 1_048_576))
        }
    }

    /// The first CIFAR image when the model reads CIFAR, else a seeded random one.
    private func benchImage<T: BLASScalar>(_ model: LoadedModel<T>) throws -> [T] {
        if model.network.inputShape == CIFARImage.shape,
            let record = try? dataOptions.images(limit: 1, classes: model.classes).first
        {
            return record.pixels(as: T.self)
        }
        Console.note("no CIFAR image for this model's input: using a random image")
        var generator = SeededGenerator(seed: 1)
        return (0..<model.network.inputShape.count).map { _ in T(generator.uniform(0, 1)) }
    }

    /// The `--modes` table: single units of a middle convolution layer and the classifier.
    private func timeSingleUnits<T: BLASScalar>(_ network: FoldedNetwork<T>, _ image: [T]) throws {
        let middle = network.layers.count / 2
        let shape = network.layers[middle].shape
        let allModes: [MapUnit.ModeName: Mode] = [
            .rm0: .rm0(unit: 0),
            .rm1: .rm1(layer: middle, channel: 1),
            .rm2: .rm2(layer: middle, channel: 1, row: shape.height / 2, column: shape.width / 2),
            .rm3: .rm3(layer: middle, inChannel: 2, channel: 1),
            .rm4: .rm4(
                layer: middle, inChannel: 2, channel: 1, row: shape.height / 2, column: shape.width / 2),
        ]
        let modes = self.modes.names.compactMap { allModes[$0] }
        if let warmUp = allModes[.rm2] { _ = try network.backMap(image, mode: warmUp) }
        var rows = [["mode", "ms / call (with forward passes)", "ms / unit (ImageAnalysis cached)"]]
        let analysis = try network.analysis(of: image)
        for mode in modes {
            let single = try Benchmark.median(repeats: repeats.value) {
                _ = try network.backMap(image, mode: mode)
            }
            let cached = try Benchmark.median(repeats: repeats.value) { _ = try analysis.backMap(mode) }
            rows.append([
                mode.description, String(format: "%.3f", single * 1e3),
                String(format: "%.3f", cached * 1e3),
            ])
        }
        let forwardOnly = try Benchmark.median(repeats: repeats.value) { _ = try network.analysis(of: image) }
        rows.append([
            "forward pass only (ImageAnalysis of the whole network)",
            String(format: "%.3f", forwardOnly * 1e3), "",
        ])
        print(
            "\nSingle-unit back-map (adjoint). A call runs the forward pass up to the layer (at z = k·[x; x_b];"
                + " with k a power of two the pass at [x; x_b] is that one rescaled exactly); with an"
                + " ImageAnalysis it is computed once per image:")
        Console.table(rows)
    }

    /// The `--nodes` table: every node and its transpose on one image.
    private func timeNodes<T: BLASScalar>(_ network: FoldedNetwork<T>, _ image: [T]) throws {
        var nodeRows = [
            ["node", "shape", "forward µs", "transposed µs", "GFLOP/s fwd", "GFLOP/s transp."]
        ]
        var totals = (forward: 0.0, transposed: 0.0)
        for timing in try network.nodeTimings(image, repeats: repeats.value) {
            totals.forward += timing.forward
            totals.transposed += timing.transposed
            let rate = { (seconds: Double) in
                timing.flops > 0 ? String(format: "%.1f", timing.flops / seconds / 1e9) : ""
            }
            nodeRows.append([
                timing.name, timing.shape.description, String(format: "%.1f", timing.forward * 1e6),
                String(format: "%.1f", timing.transposed * 1e6), rate(timing.forward),
                rate(timing.transposed),
            ])
        }
        nodeRows.append([
            "total", "", String(format: "%.1f", totals.forward * 1e6),
            String(format: "%.1f", totals.transposed * 1e6), "", "",
        ])
        print("\nEvery node on one image (batch 1, median of \(repeats.value)):")
        Console.table(nodeRows)
    }

    /// The per-layer Jacobian table (skipped by `--skip-layers`).
    private func timeLayers<T: BLASScalar>(
        _ network: FoldedNetwork<T>, _ image: [T], options: VerificationOptions, peak: Double
    ) throws {
        var layerRows = [["layer", "units", "seconds", "GFLOP/s", "% of peak"]]
        for index in network.layers.indices.dropFirst() {
            var flops = 0.0
            let time = try Benchmark.median(repeats: 1) {
                flops = try network.reconstructLayersCountingFlops(
                    image, layers: [index], options: options
                ).flops
            }
            layerRows.append([
                network.layers[index].name, String(network.layers[index].units),
                String(format: "%.3f", time), String(format: "%.1f", flops / time / 1e9),
                String(format: "%.1f", 100 * flops / time / 1e9 / peak),
            ])
        }
        print(
            "\nFull-layer Jacobian (every unit, streamed, contracted with [x; x_b]), one layer per run:")
        Console.table(layerRows)
    }

    /// The whole-network verification line.
    private func timeWholeNetwork<T: BLASScalar>(
        _ network: FoldedNetwork<T>, _ image: [T], options: VerificationOptions, peak: Double
    ) throws {
        var flops = 0.0
        let whole = try Benchmark.median(repeats: wholeRepeats.value) {
            flops = try network.reconstructLayersCountingFlops(image, options: options).flops
        }
        print(
            String(
                format:
                    "\nWhole-network verification (every unit of layers 1…%d, one image, median of %d): %.3f s, "
                    + "%.1f images/minute, %.1f GFLOP/s (%.1f%% of peak)",
                network.layers.count - 1, wholeRepeats.value, whole, 60 / whole, flops / whole / 1e9,
                100 * flops / whole / 1e9 / peak))
    }
}
