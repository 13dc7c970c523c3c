import ArgumentParser
import BackMap
import Crypto
import Diagnostics
import Foundation
import LinearAlgebra

/// What a result file records about where it came from.
enum ProvenanceProbe {
    /// SHA-256 of a file, hex, read in 1 MiB pieces.
    static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw PlacedError("cannot read \(url.path) to compute its SHA-256")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The engine's commit: `$BACKMAP_ENGINE_COMMIT`, else `git rev-parse HEAD` in the current
    /// folder (with `-dirty` when `Sources/` or `Package.swift` have uncommitted changes), else
    /// `unknown`.
    static func engineCommit() -> String {
        if let given = ProcessInfo.processInfo.environment["BACKMAP_ENGINE_COMMIT"], !given.isEmpty {
            return given
        }
        guard let head = git(["rev-parse", "HEAD"]), !head.isEmpty else { return "unknown" }
        let changes = git(["status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"])
        return changes?.isEmpty == false ? head + "-dirty" : head
    }

    /// Host name, processor model, core count and the BLAS kernel choice.
    static func machine() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "" }
            ?? "unknown processor"
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto"
        return "\(ProcessInfo.processInfo.hostName), \(model), "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores, OPENBLAS_CORETYPE=\(coreType) "
            + "(OpenBLAS core \(BLAS.coreName))"
    }

    /// Now, ISO 8601 in UTC.
    static func now() -> String { Date().formatted(.iso8601) }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
