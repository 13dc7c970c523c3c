import Foundation

extension VerificationRecord {
    /// Reads and validates a result file.
    ///
    /// - Throws: ``VerificationRecordError`` naming the file and what is wrong with it.
    public static func read(from url: URL) throws -> VerificationRecord {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VerificationRecordError.invalid(
                field: url.path, message: "cannot be read: \(error.localizedDescription)")
        }
        let record: VerificationRecord
        do {
            record = try makeDecoder().decode(VerificationRecord.self, from: data)
        } catch let error as DecodingError {
            throw VerificationRecordError.invalid(
                field: url.path, message: "is not a result file: \(describe(error))")
        }
        do {
            try record.validate()
        } catch let VerificationRecordError.invalid(field, message) {
            throw VerificationRecordError.invalid(field: "\(url.path): \(field)", message: message)
        }
        return record
    }

    /// The record as JSON (sorted keys, pretty-printed, infinities as `"inf"`).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Writes the record atomically: to a temporary file beside `url`, then renamed over it, so
    /// a reader (or a killed run) sees either the old file or the new one.
    public func write(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
                .joined()
            return keys.isEmpty ? "" : "at \(keys): "
        }
        switch error {
        case .dataCorrupted(let context): return path(context) + context.debugDescription
        case .keyNotFound(let key, let context): return path(context) + "missing field \(key.stringValue)"
        case .typeMismatch(_, let context): return path(context) + context.debugDescription
        case .valueNotFound(_, let context): return path(context) + context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
