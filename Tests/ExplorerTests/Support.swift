import Foundation

@testable import Explorer

/// The project root (two folders above this file's folder).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One explorer for the whole suite (models and images load once), reading 64 test images.
let sharedExplorer = Explorer(root: projectRoot, testImageLimit: 64)

/// The explorer error `body` throws, or nil when it throws nothing (or another error).
func refusal(_ body: () throws -> Void) -> ExplorerError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ExplorerError
    }
}
