extension Range where Bound == Int {
    /// Part `index` (0-based) of `count` contiguous parts of the range: the parts cover it in
    /// order without overlap and differ in size by at most one element, the larger ones first.
    ///
    /// ```swift
    /// (0..<10).shard(1, of: 3)  // 4..<7
    /// ```
    public func shard(_ index: Int, of count: Int) -> Range<Int> {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index) of \(count)")
        let base = self.count / count
        let extra = self.count % count
        let lower = lowerBound + index * base + Swift.min(index, extra)
        return lower..<(lower + base + (index < extra ? 1 : 0))
    }
}
