import Foundation

/// A small thread-safe cache that keeps the most recently used `capacity` values.
///
/// ```swift
/// let cache = RecentCache<String, Int>(capacity: 2)
/// let value = try cache.value(for: "a") { 1 }  // computed once, then reused
/// ```
final class RecentCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private var order: [Key] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The cached value, or `make()`'s, stored (evicting the least recently used).
    /// `make` runs outside the lock, so two callers may compute the same value once each.
    func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        if let cached = lookup(key) { return cached }
        let made = try make()
        store(made, for: key)
        return made
    }

    /// The cached value, if any, marked as used.
    func lookup(_ key: Key) -> Value? {
        lock.withLock {
            guard let cached = values[key] else { return nil }
            touch(key)
            return cached
        }
    }

    /// Stores a value, evicting the least recently used beyond the capacity.
    func store(_ value: Value, for key: Key) {
        lock.withLock {
            values[key] = value
            touch(key)
            while order.count > capacity {
                values[order.removeFirst()] = nil
            }
        }
    }

    /// How many values are held.
    var count: Int { lock.withLock { values.count } }

    private func touch(_ key: Key) {
        if let index = order.firstIndex(of: key) { order.remove(at: index) }
        order.append(key)
    }
}
