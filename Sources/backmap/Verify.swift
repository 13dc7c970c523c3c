import ArgumentParser
import BackMap
import Diagnostics
import Foundation
import LinearAlgebra

/// `backmap verify`: the paper's Table 3 over a range of images, optionally as a resumable job
/// whose result file merges exactly with those of other shards (`backmap merge`).
struct Verify: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconstruct every unit of every layer except conv0 from its hypersurface (Eq. 16).",
        discussion: """
            --images N verifies images 0..<N; --images A..<B a half-open range; --shard i/n the
            i-th (0-based) of n contiguous parts of that range. With --out, the result file is
            rewritten atomically after every image; --resume continues it after an interruption
            (a killed run loses at most the image it was on). Result files of disjoint ranges
            merge exactly with `backmap merge`.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(
        help: "Images: N (the first N) or A..<B (indices A to B−1 of the data file). (default: 1)",
        transform: ImageSelection.parse)
    var images = ImageSelection(range: 0..<1)

    @Option(
        help: "Verify only part i (0-based) of n contiguous parts of --images, e.g. 3/8.",
        transform: Shard.parse)
    var shard: Shard?

    @Option(help: "Result file (JSON), written atomically after every image.")
    var out: String?

    @Flag(help: "Continue the --out file of an interrupted run (same model, weights, data, settings, range).")
    var resume = false

    @Option(
        help: "k of the evaluation point z = k·[x; x_b]. (default: 0.125)", transform: EvaluationScale.parse)
    var k: EvaluationScale = 0.125

    @Flag(help: "Reconstruct values including each unit's own bias.")
    var includeOwnBias = false

    @Flag(help: "Accumulate ĉ in double precision (float runs only).")
    var accumulateInDouble = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Also print the histogram of ε over [−1e−4, 1e−4] per layer (40 bins).")
    var histogram = false

    @Flag(name: .shortAndLong, help: "No progress lines.")
    var quiet = false

    func validate() throws {
        if resume && out == nil { throw ValidationError("--resume needs --out FILE (the file to continue)") }
    }

    func run<T: BLASScalar>(_ model: LoadedModel<T>) throws {
        let range = shard.map { $0.part(of: images.range) } ?? images.range
        guard !range.isEmpty else {
            throw PlacedError("shard \(shard!.index)/\(shard!.count) of \(images.range) is empty")
        }
        try model.requireCIFARInput()
        let network = model.network
        let records = try dataOptions.images(limit: range.upperBound, classes: model.classes)
        guard records.count >= range.upperBound else {
            throw PlacedError(
                "--images \(range.lowerBound)..<\(range.upperBound): \(dataOptions.url().path) has only "
                    + "\(records.count) images")
        }
        let outURL = out.map { URL(fileURLWithPath: $0) }
        var record = try startingRecord(model, range: range, outURL: outURL)
        var progress = ProgressLine(total: range.count, done: record.images, quiet: quiet)
        try network.continueVerification(
            &record, image: { records[$0].pixels(as: T.self) },
            checkpoint: { current, _ in
                if let outURL { try current.write(to: outURL) }
                progress.update(done: current.images)
            })
        let report = VerificationReport(record, histogram: histogram, provenance: outURL != nil)
        if json { return try Console.json(report) }
        report.printTable(
            heading: "\(report.model), \(report.precision), \(report.images) image(s) "
                + "(\(range.lowerBound)..<\(range.upperBound)), k = \(k.value), "
                + "own bias \(includeOwnBias ? "included" : "excluded"), "
                + String(format: "%.2f s", record.provenance.durationSeconds))
    }

    /// A fresh record, or the one in `--out` to resume.
    private func startingRecord<T: BLASScalar>(_ model: LoadedModel<T>, range: Range<Int>, outURL: URL?)
        throws -> VerificationRecord
    {
        let network = model.network
        let settings = VerificationSettings(
            k: k.value, includeOwnBias: includeOwnBias, accumulateInDouble: accumulateInDouble,
            layers: Array(network.layers.indices.dropFirst()))
        let weightsURL = model.file
        let dataURL = dataOptions.url()
        let now = ProvenanceProbe.now()
        let fresh = VerificationRecord(
            model: model.name, precision: modelOptions.precision.rawValue, target: range,
            settings: settings, layers: try network.emptyStatistics(layers: settings.layers),
            provenance: VerificationProvenance(
                engineCommit: ProvenanceProbe.engineCommit(),
                weightsFile: weightsURL?.path ?? "random weights, seed \(modelOptions.seed)",
                weightsSHA256: try weightsURL.map(ProvenanceProbe.sha256(of:))
                    ?? "random-seed-\(modelOptions.seed)",
                dataFile: dataURL.path, dataSHA256: try ProvenanceProbe.sha256(of: dataURL),
                machine: ProvenanceProbe.machine(), started: now, finished: now))
        guard let outURL, FileManager.default.fileExists(atPath: outURL.path) else {
            if resume { Console.note("--resume: \(out ?? "") does not exist yet; starting the run") }
            return fresh
        }
        guard resume else {
            throw PlacedError(
                "\(outURL.path) exists; pass --resume to continue it, or choose another --out "
                    + "(nothing was overwritten)")
        }
        var existing = try VerificationRecord.read(from: outURL)
        let checks: [(String, String, String)] = [
            ("model", existing.model, fresh.model), ("precision", existing.precision, fresh.precision),
            ("weights SHA-256", existing.provenance.weightsSHA256, fresh.provenance.weightsSHA256),
            ("data SHA-256", existing.provenance.dataSHA256, fresh.provenance.dataSHA256),
            ("settings", "\(existing.settings)", "\(fresh.settings)"),
            ("image range", existing.target.map { "\($0)" } ?? "none (a merged file)", "\(range)"),
        ]
        for (field, found, wanted) in checks where found != wanted {
            throw PlacedError(
                "cannot resume \(outURL.path): its \(field) is \(found), this run's is \(wanted)")
        }
        if existing.provenance.engineCommit != fresh.provenance.engineCommit {
            Console.note("note: \(outURL.path) was started on engine \(existing.provenance.engineCommit)")
            existing.provenance.engineCommit =
                "mixed: \(existing.provenance.engineCommit), \(fresh.provenance.engineCommit)"
        }
        Console.note("resuming \(outURL.path): \(existing.images) of \(range.count) images done")
        return existing
    }
}

/// A progress line on standard error with rate and ETA, at most one every two seconds.
struct ProgressLine {
    var total: Int
    var done: Int
    var quiet: Bool
    private let start = Date()
    private let startDone: Int
    private var lastPrint = Date.distantPast

    init(total: Int, done: Int, quiet: Bool) {
        self.total = total
        self.done = done
        self.quiet = quiet
        startDone = done
    }

    mutating func update(done: Int) {
        self.done = done
        let now = Date()
        guard !quiet, now.timeIntervalSince(lastPrint) >= 2 || done == total else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(done - startDone) / max(elapsed, 1e-9)
        let left = rate > 0 ? Double(total - done) / rate : .infinity
        Console.note(
            String(format: "image %d/%d, %.2f images/s, ETA %@", done, total, rate, Self.duration(left)))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "unknown" }
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
            : String(format: "%dm%02ds", whole / 60, whole % 60)
    }
}
