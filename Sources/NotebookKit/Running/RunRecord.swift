import NotebookSupport

/// The stored result of running a notebook's program: the outputs of each block.
///
/// Saved as `record.json` in the notebook's cache folder, next to the images and charts its
/// items name, and reused while the cache key is unchanged.
public struct RunRecord: Codable, Hashable, Sendable {
    /// The outputs of one block, in the order it produced them.
    public struct Block: Codable, Hashable, Sendable {
        /// The outputs.
        public var items: [OutputItem]

        /// Creates a block's outputs.
        public init(items: [OutputItem] = []) {
            self.items = items
        }
    }

    /// The cache key the outputs belong to (see ``CacheKey``).
    public var cacheKey: String
    /// One entry per Swift block of the notebook (blocks that do not run have no items).
    public var blocks: [Block]

    /// Creates a record.
    public init(cacheKey: String, blocks: [Block]) {
        self.cacheKey = cacheKey
        self.blocks = blocks
    }
}
