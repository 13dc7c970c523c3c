/// How the notebook programs are compiled: SwiftPM's `-c` value.
public enum BuildConfiguration: String, CaseIterable, Codable, Sendable {
    /// Optimised: the engine at full speed; traps print no message (the default).
    case release
    /// Unoptimised: traps print their message and line; the engine is several times slower.
    case debug
}
