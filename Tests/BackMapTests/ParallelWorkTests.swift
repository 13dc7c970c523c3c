import Foundation
import Testing

@testable import BackMap

@Suite struct ParallelWorkTests {
    @Test func resultsComeBackInItemOrder() {
        var consumed: [Int] = []
        var values: [Int] = []
        ParallelWork.run(count: 37, itemsPerWorkerAndWave: 2) { index in
            index * index
        } consume: { index, value in
            consumed.append(index)
            values.append(value)
        }
        #expect(consumed == Array(0..<37))
        #expect(values == (0..<37).map { $0 * $0 })
    }

    @Test func splitCoversEveryItemOnce() {
        let counts = Counts(1000)
        let parts = ParallelWork.split(1000, minimumPerPart: 10) { range, _ in
            for i in range { counts.increment(i) }
        }
        #expect(parts >= 1 && parts <= ParallelWork.threads)
        #expect(counts.values == [Int](repeating: 1, count: 1000))
        // Too little work for a second thread: one part.
        #expect(ParallelWork.split(5, minimumPerPart: 10) { _, _ in } == 1)
    }

    /// The streamed reconstruction runs its chunks on several threads; the result must not
    /// depend on which thread ran which chunk.
    @Test func reconstructionIsDeterministic() throws {
        let net = try Support.model(.vgg7, as: Float.self)
        let image = Support.image(net.inputShape, seed: 21, as: Float.self)
        let options = VerificationOptions(chunkSize: 12)
        let first = try net.reconstructLayers(image, layers: [2, 6], options: options)
        let second = try net.reconstructLayers(image, layers: [2, 6], options: options)
        #expect(first.map(\.reconstructed) == second.map(\.reconstructed))
    }
}

/// Counters shared by threads (`Mutex` needs macOS 15; the package supports macOS 14).
private final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int]

    init(_ count: Int) { storage = [Int](repeating: 0, count: count) }

    func increment(_ index: Int) {
        lock.lock()
        storage[index] += 1
        lock.unlock()
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
