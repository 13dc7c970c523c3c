import Foundation

@testable import Explorer

/// The project root (two folders above this file's folder).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One explorer for the whole suite (models and images load once), reading 64 test images.
let sharedExplorer = Explorer(root: projectRoot, testImageLimit: 64)

/// The status and message of the error `body` throws, or nil when it does not throw.
func refusal(_ body: () throws(ExplorerError) -> Void) -> ExplorerError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
