import ArgumentParser
import BackMap
import Diagnostics
import Foundation

/// `backmap merge`: combines the result files of shards (disjoint image ranges) into one.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge verification result files of disjoint image ranges and print the Table-3 report.",
        discussion: """
            The files must share the model, precision, weights, data file and settings. Counts,
            maxima (with where they occur) and histograms add exactly, so merging the shards of a
            split gives the same statistics as one run over the whole range.
            """)

    @Argument(help: "Result files written by `backmap verify --out`.")
    var files: [String]

    @Option(help: "Also write the merged result file here (atomically).")
    var out: String?

    @Flag(help: "Print JSON (the fields of `verify --json`, plus provenance).")
    var json = false

    @Flag(help: "Also print the histogram of ε over [−1e−4, 1e−4] per layer.")
    var histogram = false

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one result file") }
        let records = try files.map { try VerificationRecord.read(from: URL(fileURLWithPath: $0)) }
        var merged = records[0]
        for (file, record) in zip(files, records).dropFirst() {
            do {
                try merged.merge(record)
            } catch let error as VerificationRecordError {
                throw PlacedError(file: file, message: "\(error)")
            }
        }
        merged.target = nil
        merged.provenance = mergedProvenance(records)
        if let out { try merged.write(to: URL(fileURLWithPath: out)) }
        let report = VerificationReport(merged, histogram: histogram, provenance: true)
        if json { return try Console.json(report) }
        let ranges = merged.imageRanges.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
        report.printTable(
            heading: "\(report.model), \(report.precision), \(report.images) image(s) (\(ranges)) from "
                + "\(files.count) file(s), k = \(merged.settings.k), own bias "
                + "\(merged.settings.includeOwnBias ? "included" : "excluded"), "
                + String(format: "%.1f s of verification", merged.provenance.durationSeconds))
    }

    private func mergedProvenance(_ records: [VerificationRecord]) -> VerificationProvenance {
        var provenance = records[0].provenance
        func combined(_ values: [String]) -> String {
            var seen: [String] = []
            for value in values where !seen.contains(value) { seen.append(value) }
            return seen.count == 1 ? seen[0] : "mixed: " + seen.joined(separator: ", ")
        }
        provenance.engineCommit = combined(records.map(\.provenance.engineCommit))
        provenance.machine = combined(records.map(\.provenance.machine))
        provenance.durationSeconds = records.reduce(0) { $0 + $1.provenance.durationSeconds }
        provenance.started = records.map(\.provenance.started).min() ?? provenance.started
        provenance.finished = records.map(\.provenance.finished).max() ?? provenance.finished
        provenance.sources = zip(files, records).flatMap { file, record in
            record.provenance.sources
                ?? [
                    VerificationProvenance.Source(
                        file: file, imageRanges: record.imageRanges,
                        engineCommit: record.provenance.engineCommit, machine: record.provenance.machine,
                        durationSeconds: record.provenance.durationSeconds)
                ]
        }
        return provenance
    }
}
