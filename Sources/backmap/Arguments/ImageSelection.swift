import ArgumentParser
import BackMap
import Diagnostics

/// `--images N` (the first N images, `0..<N`) or `--images A..<B` (a half-open range).
struct ImageSelection: ArgumentSyntax, Equatable {
    /// The images, as indices into the data file.
    var range: Range<Int>

    init(range: Range<Int>) {
        self.range = range
    }

    init(parsing text: String) throws(PlacedError) {
        if let count = Int(text) {
            guard count > 0 else { throw PlacedError("N must be at least 1 (N is the first N images)") }
            range = 0..<count
            return
        }
        let parts = text.split(separator: "..<", omittingEmptySubsequences: false)
        guard parts.count == 2, let lower = Int(parts[0]), let upper = Int(parts[1]) else {
            throw PlacedError("expected N or A..<B (e.g. 100 or 500..<1000)")
        }
        guard lower >= 0, lower < upper else {
            throw PlacedError("A..<B needs 0 ≤ A < B, got \(lower) and \(upper)")
        }
        range = lower..<upper
    }

    var defaultValueDescription: String {
        range.lowerBound == 0 ? String(range.upperBound) : "\(range.lowerBound)..<\(range.upperBound)"
    }
}

/// `--shard i/n`: part `i` (0-based, as Slurm's `SLURM_ARRAY_TASK_ID`) of `n` contiguous parts.
struct Shard: ArgumentSyntax, Equatable {
    /// The part, 0-based.
    var index: Int
    /// The number of parts.
    var count: Int

    init(parsing text: String) throws(PlacedError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw PlacedError("expected i/n, part i (0-based) of n (e.g. 3/8)")
        }
        guard count > 0 else { throw PlacedError("n must be at least 1, got \(count)") }
        guard (0..<count).contains(index) else {
            throw PlacedError("i must be in 0..<\(count) (parts are 0-based), got \(index)")
        }
        self.index = index
        self.count = count
    }

    /// This shard's part of `range`.
    func part(of range: Range<Int>) -> Range<Int> { range.shard(index, of: count) }
}
