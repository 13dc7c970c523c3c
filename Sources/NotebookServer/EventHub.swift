import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// The live-reload channel: every open page holds a Server-Sent Events stream, and a finished
/// build sends each of them one event (`reload`, or `failure` with the errors as JSON).
///
/// ```swift
/// let hub = EventHub()
/// hub.publish(.init(name: "reload", data: "{}"))
/// hub.publish(.init(name: "failure", data: #"{"errors":[]}"#), sticky: true)
/// ```
public final class EventHub: Sendable {
    /// One Server-Sent Event.
    public struct Event: Sendable, Equatable {
        /// The event's name (`reload`, `failure`, `status`).
        public var name: String
        /// One line of JSON.
        public var data: String

        /// Creates an event.
        public init(name: String, data: String) {
            self.name = name
            self.data = data
        }

        /// The event as sent: `event: name\ndata: …\n\n`.
        public var wireFormat: String { "event: \(name)\ndata: \(data)\n\n" }
    }

    private let state = Locked(State())

    private struct State {
        var clients: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]
        var latest: Event?
    }

    /// Creates a hub with no clients.
    public init() {}

    /// Sends an event to every open stream. A sticky event (a failed build) is also sent to
    /// streams opened later, so a page opened while the build is broken shows the overlay; the
    /// next event, sticky or not, replaces it.
    public func publish(_ event: Event, sticky: Bool = false) {
        let clients = state.withLock {
            $0.latest = sticky ? event : nil
            return Array($0.clients.values)
        }
        for client in clients { client.yield(Array(event.wireFormat.utf8)) }
    }

    /// How many pages are listening.
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// A `text/event-stream` response that stays open until the page goes away.
    public func response() -> HTTPResponse {
        let identifier = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let latest = state.withLock {
            $0.clients[identifier] = continuation
            return $0.latest
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.clients.removeValue(forKey: identifier) }
        }
        continuation.yield(Array(": connected\nretry: 1000\n\n".utf8))
        if let latest { continuation.yield(Array(latest.wireFormat.utf8)) }
        return HTTPResponse(
            statusCode: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: HTTPBodySequence(from: EventBytes(stream: stream)))
    }

    /// Sends a comment to every stream (keeps idle connections open, finds closed ones).
    public func ping() {
        let clients = state.withLock { Array($0.clients.values) }
        for client in clients { client.yield(Array(": ping\n\n".utf8)) }
    }
}

/// The bytes of an event stream, as FlyingFox's chunked body reads them.
struct EventBytes: AsyncBufferedSequence {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async -> UInt8? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk
            }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }
    }
}

/// A value behind a lock, shareable by reference (a `Mutex` is not copyable, so escaping
/// closures and stored properties of several owners hold this box instead).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R: Sendable, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        try mutex.withLock { (value: inout Value) throws(E) -> R in try body(&value) }
    }
}
