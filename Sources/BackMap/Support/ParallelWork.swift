import Foundation
import LinearAlgebra
import Synchronization

/// How the engine spreads its work over the threads of ``Engine/configuration`` (the threading
/// policy is described at ``EngineConfiguration``).
///
/// - Independent work items (tangent chunks) run on ``threads`` workers through
///   ``run(count:itemsPerWorkerAndWave:_:consume:)``, whose results come back in item order,
///   so accumulations are bit-for-bit those of a sequential loop.
/// - One large product (a convolution of one image) is split by rows through
///   ``split(_:minimumPerPart:_:)``, except inside a worker, where it runs on the worker.
public enum ParallelWork {
    /// The threads the engine uses (``EngineConfiguration/threads`` of the configuration in force).
    public static var threads: Int { Engine.configuration.threads }

    private static let workerKey = "BackMap.ParallelWork.worker"

    /// Whether the current thread is running a work item of ``run``.
    static var isInsideWorker: Bool { Thread.current.threadDictionary[workerKey] != nil }

    private static func asWorker<Result>(_ body: () -> Result) -> Result {
        let dictionary = Thread.current.threadDictionary
        dictionary[workerKey] = true
        defer { dictionary.removeObject(forKey: workerKey) }
        return body()
    }

    /// Calls `work(i)` for every `i` in `0..<count` on up to ``threads`` threads, then
    /// `consume(i, result)` on the calling thread, in increasing `i`.
    ///
    /// Items are processed in waves of a few per worker; after each wave the caller consumes
    /// the wave's results, so at most one wave of results is held in memory.
    static func run<Result: Sendable>(
        count: Int, itemsPerWorkerAndWave: Int = 4, _ work: @Sendable (Int) -> Result,
        consume: (Int, Result) -> Void
    ) {
        guard count > 0 else { return }
        let workers = isInsideWorker ? 1 : max(1, min(threads, count))
        guard workers > 1 else {
            for index in 0..<count { consume(index, work(index)) }
            return
        }
        let wave = workers * max(1, itemsPerWorkerAndWave)
        var start = 0
        while start < count {
            let first = start
            let end = min(first + wave, count)
            let slots = ResultSlots<Result>(count: end - first)
            let next = Counter(first)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                asWorker {
                    while true {
                        let index = next.take()
                        guard index < end else { return }
                        slots.store(work(index), at: index - first)
                    }
                }
            }
            for (offset, result) in slots.results.enumerated() { consume(first + offset, result) }
            start = end
        }
    }

    /// Splits `0..<count` into at most ``threads`` contiguous parts of at least
    /// `minimumPerPart` items and runs `body(part range, part index)` on one thread each;
    /// returns the number of parts. Inside a worker of ``run`` the body runs once, on the
    /// calling thread.
    @discardableResult
    static func split(
        _ count: Int, minimumPerPart: Int, _ body: @Sendable (Range<Int>, Int) -> Void
    ) -> Int {
        let available = isInsideWorker ? 1 : threads
        let parts = max(1, min(available, count / max(1, minimumPerPart)))
        guard parts > 1 else {
            body(0..<count, 0)
            return 1
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body((part * count / parts)..<((part + 1) * count / parts), part)
        }
        return parts
    }
}

/// A buffer shared by the parts of ``ParallelWork/split(_:minimumPerPart:_:)``, each of which
/// reads it or writes a disjoint range of it.
struct SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>?
    let count: Int

    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress
        count = buffer.count
    }

    init(_ buffer: UnsafeBufferPointer<Element>) {
        base = buffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
        count = buffer.count
    }

    var readable: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var writable: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }
}

/// A shared counter handing out consecutive integers.
private final class Counter: Sendable {
    private let value: Mutex<Int>

    init(_ value: Int) { self.value = Mutex(value) }

    func take() -> Int {
        value.withLock { value in
            value += 1
            return value - 1
        }
    }
}

/// One result slot per work item of a wave, written by the workers.
private final class ResultSlots<Result: Sendable>: Sendable {
    private let slots: Mutex<[Result?]>

    init(count: Int) { slots = Mutex([Result?](repeating: nil, count: count)) }

    func store(_ result: Result, at index: Int) {
        slots.withLock { $0[index] = result }
    }

    /// Every result; call after all workers have finished.
    var results: [Result] {
        slots.withLock { slots in
            let filled = slots.compactMap { $0 }
            precondition(filled.count == slots.count, "ParallelWork: a work item stored no result")
            return filled
        }
    }
}
