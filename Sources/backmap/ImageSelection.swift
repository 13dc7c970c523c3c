import ArgumentParser
import BackMap

/// `--images N` (the first N images, `0..<N`) or `--images A..<B` (a half-open range).
struct ImageSelection: ExpressibleByArgument, Equatable {
    /// The images, as indices into the data file.
    var range: Range<Int>

    init(range: Range<Int>) {
        self.range = range
    }

    init?(argument: String) {
        guard let range = Self.parse(argument) else { return nil }
        self.range = range
    }

    static func parse(_ text: String) -> Range<Int>? {
        if let count = Int(text) { return count > 0 ? 0..<count : nil }
        let parts = text.split(separator: "..<", omittingEmptySubsequences: false)
        guard parts.count == 2, let lower = Int(parts[0]), let upper = Int(parts[1]), lower >= 0,
            lower < upper
        else { return nil }
        return lower..<upper
    }

    static var defaultValueDescription: String { "1" }
}

/// `--shard i/n`: part `i` (0-based, as Slurm's `SLURM_ARRAY_TASK_ID`) of `n` contiguous parts.
struct Shard: ExpressibleByArgument, Equatable {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0,
            (0..<count).contains(index)
        else { return nil }
        self.index = index
        self.count = count
    }

    /// This shard's part of `range`.
    func part(of range: Range<Int>) -> Range<Int> { range.shard(index, of: count) }
}
