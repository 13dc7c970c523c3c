import Foundation
import LinearAlgebra

extension VerificationSettings {
    /// The engine options these settings stand for.
    public var options: VerificationOptions {
        VerificationOptions(scale: k, includeOwnBias: includeOwnBias, accumulateInDouble: accumulateInDouble)
    }
}

extension FoldedNetwork {
    /// Continues a verification job: verifies the images of `record.target` that it has not
    /// finished, in order, adding each image's statistics to `record` and handing the record to
    /// `checkpoint` after every image (write it atomically there, and a killed run loses at
    /// most the image it was working on).
    ///
    /// - Parameters:
    ///   - record: A record with a ``VerificationRecord/target``; on return every image of the
    ///     target is done.
    ///   - image: The input `x` of the image with a given index in the data file.
    ///   - checkpoint: Called after every image with the updated record and the seconds that
    ///     image took (already added to `record.provenance.durationSeconds`).
    /// - Throws: What `image` or `checkpoint` throw, and ``BackMapError`` for settings that do
    ///   not fit the network.
    public func continueVerification(
        _ record: inout VerificationRecord, image: (Int) throws -> [T],
        checkpoint: (VerificationRecord, Double) throws -> Void
    ) throws {
        let options = record.settings.options
        while let next = record.nextImage {
            let start = Date()
            let statistics = try imageStatistics(
                try image(next), index: next, layers: record.settings.layers, options: options)
            try record.add(image: next, statistics: statistics)
            let seconds = Date().timeIntervalSince(start)
            record.provenance.durationSeconds += seconds
            record.provenance.finished = Date().formatted(.iso8601)
            try checkpoint(record, seconds)
        }
    }
}
