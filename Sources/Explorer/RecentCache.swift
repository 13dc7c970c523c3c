import Synchronization

/// A small thread-safe cache that keeps the most recently used `capacity` values.
///
/// ```swift
/// let cache = RecentCache<String, Int>(capacity: 2)
/// let value = try cache.value(for: "a") { 1 }  // computed once, then reused
/// ```
final class RecentCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The values and their use order, least recent first.
    private struct State {
        var values: [Key: Value] = [:]
        var order: [Key] = []

        mutating func touch(_ key: Key) {
            if let index = order.firstIndex(of: key) { order.remove(at: index) }
            order.append(key)
        }
    }

    private let state = Mutex(State())
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
        state.withLock { state in
            guard let cached = state.values[key] else { return nil }
            state.touch(key)
            return cached
        }
    }

    /// Stores a value, evicting the least recently used beyond the capacity.
    func store(_ value: Value, for key: Key) {
        state.withLock { state in
            state.values[key] = value
            state.touch(key)
            while state.order.count > capacity {
                state.values[state.order.removeFirst()] = nil
            }
        }
    }

    /// How many values are held.
    var count: Int { state.withLock { $0.values.count } }
}
