import FlyingFox
import FlyingSocks
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// FlyingFox's socket pool with `TCP_NODELAY` set on every socket it waits on (the listening
/// socket, whose setting accepted connections inherit, and each connection).
///
/// FlyingFox writes a response's header and then its body in 4 KiB pieces; with Nagle's
/// algorithm on, the last small piece waits for the client's delayed ACK, about 40 ms on Linux,
/// which would dominate the latency of a click.
struct NoDelaySocketPool: AsyncSocketPool {
    /// The pool that does the waiting.
    let base: any AsyncSocketPool

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        // Fails harmlessly for a socket that is not TCP (a Unix socket).
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))
        try await base.suspendSocket(socket, untilReadyFor: events)
    }
}
