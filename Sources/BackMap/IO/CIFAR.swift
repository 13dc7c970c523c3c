import Diagnostics
import Foundation

extension Place {
    /// A record (0-based) of a CIFAR binary file: `file: record 3`.
    public static func record(_ index: Int, in file: String) -> Place {
        Place(file: file, "record \(index)")
    }
}

/// The two CIFAR binary layouts.
public enum CIFARFormat: String, Hashable, Sendable, CaseIterable {
    /// One label byte (0–9), then 3,072 pixel bytes.
    case cifar10
    /// A coarse label byte (0–19) and a fine label byte (0–99), then 3,072 pixel bytes.
    case cifar100

    /// Bytes per record.
    public var recordSize: Int { labelBytes + CIFARImage.pixelCount }

    var labelBytes: Int { self == .cifar10 ? 1 : 2 }
}

/// One 32×32 RGB CIFAR image.
public struct CIFARImage: Hashable, Sendable {
    /// Bytes of pixel data per image: three 32×32 planes (red, green, blue).
    public static let pixelCount = 3072
    /// The image shape used by the models.
    public static let shape = Shape(height: 32, width: 32, channels: 3)

    /// The class (CIFAR-100: the fine label).
    public var label: Int
    /// The CIFAR-100 coarse label.
    public var coarseLabel: Int?
    /// Raw bytes in the file's planar order (R plane, G plane, B plane).
    public var planes: [UInt8]

    /// The image in HWC order with values in `[0, 1]` (bytes divided by 255).
    public func pixels<T: BinaryFloatingPoint>(as type: T.Type = T.self) -> [T] {
        var result = [T](repeating: 0, count: Self.pixelCount)
        for channel in 0..<3 {
            for position in 0..<1024 {
                result[position * 3 + channel] = T(planes[channel * 1024 + position]) / 255
            }
        }
        return result
    }
}

/// Reading CIFAR-10 and CIFAR-100 binary batches.
public enum CIFAR {
    /// Reads up to `limit` records of a binary batch file.
    ///
    /// - Throws: ``PlacedError`` for an unreadable or empty file, a size that is not a whole
    ///   number of records (naming the truncated record), or a label out of range.
    public static func read(contentsOf url: URL, format: CIFARFormat = .cifar10, limit: Int? = nil)
        throws -> [CIFARImage]
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PlacedError(file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse([UInt8](data), format: format, source: url.path, limit: limit)
    }

    /// Parses the bytes of a binary batch, the first `limit` records when a limit is given.
    ///
    /// - Throws: ``PlacedError`` for a negative limit, an empty file, a size that is not a whole
    ///   number of records (naming the truncated record), or a label out of range.
    public static func parse(
        _ bytes: [UInt8], format: CIFARFormat, source: String = "<memory>", limit: Int? = nil
    ) throws -> [CIFARImage] {
        if let limit, limit < 0 {
            throw PlacedError(
                file: source, message: "cannot read \(limit) records (the limit must be 0 or more)")
        }
        let size = format.recordSize
        guard !bytes.isEmpty else { throw PlacedError(file: source, message: "the file is empty") }
        guard bytes.count % size == 0 else {
            throw PlacedError(
                at: .record(bytes.count / size, in: source),
                "truncated: \(bytes.count % size) of \(size) bytes (\(format.rawValue) "
                    + "records are \(size) bytes; file has \(bytes.count))")
        }
        let count = min(bytes.count / size, limit ?? Int.max)
        let classes = format == .cifar10 ? 10 : 100
        var images: [CIFARImage] = []
        images.reserveCapacity(count)
        for record in 0..<count {
            let base = record * size
            var coarse: Int?
            if format == .cifar100 {
                coarse = Int(bytes[base])
                guard let coarse, coarse < 20 else {
                    throw PlacedError(
                        at: .record(record, in: source), "coarse label \(bytes[base]) is outside 0…19")
                }
            }
            let label = Int(bytes[base + format.labelBytes - 1])
            guard label < classes else {
                throw PlacedError(
                    at: .record(record, in: source),
                    "label \(label) is outside 0…\(classes - 1) (is this a \(format.rawValue) file?)")
            }
            let planes = Array(bytes[(base + format.labelBytes)..<(base + size)])
            images.append(CIFARImage(label: label, coarseLabel: coarse, planes: planes))
        }
        return images
    }

    /// The CIFAR-10 folder, looked up in the same order as `Scripts/setup.sh`:
    /// `$CIFAR10_DIR`, else `../shared/data/cifar-10-batches-bin` relative to `root` (the
    /// repository root; default the current directory), else `.data/cifar-10-batches-bin`
    /// inside `root` (where the setup script downloads the official release). When none
    /// exists, the second path is returned so that the error names the expected place.
    public static func defaultDirectory(root: URL? = nil) -> URL {
        if let path = ProcessInfo.processInfo.environment["CIFAR10_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let base = root ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let shared = base.deletingLastPathComponent()
            .appendingPathComponent("shared/data/cifar-10-batches-bin")
        let downloaded = base.appendingPathComponent(".data/cifar-10-batches-bin")
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: shared.appendingPathComponent("test_batch.bin").path),
            fileManager.fileExists(atPath: downloaded.appendingPathComponent("test_batch.bin").path)
        {
            return downloaded
        }
        return shared
    }
}
