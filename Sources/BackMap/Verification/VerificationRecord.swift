import Foundation

/// Where a verification result came from: engine, weights, data, machine, time.
public struct VerificationProvenance: Hashable, Sendable, Codable {
    /// The engine's git commit (with `-dirty` when its sources had uncommitted changes), or
    /// `mixed: …` for a merge of runs on different commits.
    public var engineCommit: String
    /// The weight file as given (bundled files relative to the repository).
    public var weightsFile: String
    /// SHA-256 of the weight file, hex.
    public var weightsSHA256: String
    /// The data file as given.
    public var dataFile: String
    /// SHA-256 of the data file, hex.
    public var dataSHA256: String
    /// Host name, processor, cores and BLAS kernel (`mixed: …` for merges across machines).
    public var machine: String
    /// Seconds spent verifying (summed over shards and resumed runs).
    public var durationSeconds: Double
    /// When the first image was started and the last finished (ISO 8601, UTC).
    public var started: String
    /// When the last image finished.
    public var finished: String
    /// For a merge: the files merged and what each contributed.
    public var sources: [Source]?

    /// One input of a merge.
    public struct Source: Hashable, Sendable, Codable {
        /// The file as given to `backmap merge`.
        public var file: String
        /// Its finished image ranges.
        public var imageRanges: [Range<Int>]
        /// Its engine commit.
        public var engineCommit: String
        /// Its machine.
        public var machine: String
        /// Its duration.
        public var durationSeconds: Double

        /// A source from its parts.
        public init(
            file: String, imageRanges: [Range<Int>], engineCommit: String, machine: String,
            durationSeconds: Double
        ) {
            self.file = file
            self.imageRanges = imageRanges
            self.engineCommit = engineCommit
            self.machine = machine
            self.durationSeconds = durationSeconds
        }
    }

    /// Provenance from its parts.
    public init(
        engineCommit: String, weightsFile: String, weightsSHA256: String, dataFile: String,
        dataSHA256: String, machine: String, durationSeconds: Double = 0, started: String,
        finished: String, sources: [Source]? = nil
    ) {
        self.engineCommit = engineCommit
        self.weightsFile = weightsFile
        self.weightsSHA256 = weightsSHA256
        self.dataFile = dataFile
        self.dataSHA256 = dataSHA256
        self.machine = machine
        self.durationSeconds = durationSeconds
        self.started = started
        self.finished = finished
        self.sources = sources
    }
}

/// The settings a verification ran with; results merge only when these agree.
public struct VerificationSettings: Hashable, Sendable, Codable {
    /// `k` of the evaluation point.
    public var k: Double
    /// Whether each unit's own bias is part of its value.
    public var includeOwnBias: Bool
    /// Whether `ĉ` was accumulated in double precision.
    public var accumulateInDouble: Bool
    /// The layers verified (indices into the folded network's layers).
    public var layers: [Int]

    /// Settings from their parts.
    public init(k: Double, includeOwnBias: Bool, accumulateInDouble: Bool, layers: [Int]) {
        self.k = k
        self.includeOwnBias = includeOwnBias
        self.accumulateInDouble = accumulateInDouble
        self.layers = layers
    }
}

/// A verification result file (`backmap verify --out`): per-layer statistics over a set of
/// images, which merge exactly (``merge(_:)``), with what is needed to resume an interrupted run.
public struct VerificationRecord: Hashable, Sendable, Codable {
    /// The value of ``format``.
    public static let currentFormat = "adjoint-notebooks-verification/1"

    /// The file format and version.
    public var format = Self.currentFormat
    /// The model (`vgg7`, `resnet20`, `resnet20-fixup`).
    public var model: String
    /// `float` or `double`.
    public var precision: String
    /// Number of images verified (the sum of ``imageRanges``).
    public private(set) var images = 0
    /// Finished image ranges (indices into the data file), sorted and disjoint.
    public private(set) var imageRanges: [Range<Int>] = []
    /// For a job: the range it was asked to verify (resuming continues towards it); `nil` for a
    /// merge.
    public var target: Range<Int>?
    /// The settings.
    public var settings: VerificationSettings
    /// Per-layer statistics, in the order of ``VerificationSettings/layers``.
    public private(set) var layers: [LayerStatistics]
    /// Where the result came from.
    public var provenance: VerificationProvenance

    /// An empty record for a job over `target`.
    public init(
        model: String, precision: String, target: Range<Int>?, settings: VerificationSettings,
        layers: [LayerStatistics], provenance: VerificationProvenance
    ) {
        self.model = model
        self.precision = precision
        self.target = target
        self.settings = settings
        self.layers = layers
        self.provenance = provenance
    }

    /// The first image of ``target`` not yet verified (`nil` when the target is done or there
    /// is none).
    public var nextImage: Int? {
        guard let target else { return nil }
        let done = imageRanges.last.map { $0.upperBound } ?? target.lowerBound
        return done < target.upperBound ? done : nil
    }

    /// Adds one image's statistics (one per layer, in layer order) and marks the image done.
    ///
    /// - Throws: ``BackMapError`` if the image was already counted or the layers differ.
    public mutating func add(image: Int, statistics: [LayerStatistics]) throws {
        guard statistics.count == layers.count else {
            throw BackMapError.invalidArgument(
                "image \(image) has statistics for \(statistics.count) layers, the record \(layers.count)")
        }
        try insert(image..<(image + 1))
        for position in layers.indices { try layers[position].merge(statistics[position]) }
    }

    /// Adds the statistics of disjoint images from a record of the same model, precision, weights
    /// and settings.
    ///
    /// - Throws: ``VerificationRecordError`` naming the field that differs, or the images that
    ///   both records contain.
    public mutating func merge(_ other: VerificationRecord) throws {
        let checks: [(String, String, String)] = [
            ("format", format, other.format), ("model", model, other.model),
            ("precision", precision, other.precision),
            ("provenance.weightsSHA256", provenance.weightsSHA256, other.provenance.weightsSHA256),
            ("provenance.dataSHA256", provenance.dataSHA256, other.provenance.dataSHA256),
        ]
        for (field, mine, theirs) in checks where mine != theirs {
            throw VerificationRecordError.mismatch(field: field, first: mine, second: theirs)
        }
        guard settings == other.settings else {
            throw VerificationRecordError.mismatch(
                field: "settings", first: "\(settings)", second: "\(other.settings)")
        }
        for range in other.imageRanges { try insert(range) }
        for position in layers.indices { try layers[position].merge(other.layers[position]) }
        target = nil
    }

    /// The record's statistics without provenance and target, for comparing results of
    /// different runs over the same images.
    public var result: VerificationResult {
        VerificationResult(
            model: model, precision: precision, images: images, imageRanges: imageRanges,
            settings: settings, layers: layers)
    }

    private mutating func insert(_ range: Range<Int>) throws {
        guard !range.isEmpty else { return }
        if let clash = imageRanges.first(where: { $0.overlaps(range) }) {
            let both = max(clash.lowerBound, range.lowerBound)..<min(clash.upperBound, range.upperBound)
            throw VerificationRecordError.overlap(images: both)
        }
        var ranges = (imageRanges + [range]).sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for next in ranges {
            if let last = merged.last, last.upperBound == next.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<next.upperBound
            } else {
                merged.append(next)
            }
        }
        ranges = merged
        imageRanges = ranges
        images = ranges.reduce(0) { $0 + $1.count }
    }

    /// Checks the invariants a decoded file must satisfy.
    ///
    /// - Throws: ``VerificationRecordError/invalid(field:message:)``.
    public func validate() throws {
        guard format == Self.currentFormat else {
            throw VerificationRecordError.invalid(
                field: "format", message: "is \(format); this engine reads \(Self.currentFormat)")
        }
        guard layers.count == settings.layers.count else {
            throw VerificationRecordError.invalid(
                field: "layers", message: "has \(layers.count) entries for \(settings.layers.count) layers")
        }
        let sorted = zip(imageRanges, imageRanges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound }
        guard sorted, images == imageRanges.reduce(0, { $0 + $1.count }) else {
            throw VerificationRecordError.invalid(
                field: "imageRanges", message: "must be sorted, disjoint and add up to images (\(images))")
        }
        for statistics in layers where statistics.images != images {
            throw VerificationRecordError.invalid(
                field: "layers[\(statistics.layer)].images",
                message: "is \(statistics.images), the record has \(images) images")
        }
    }
}

/// The statistics part of a ``VerificationRecord``: equal for two runs over the same images.
public struct VerificationResult: Hashable, Sendable {
    public var model: String
    public var precision: String
    public var images: Int
    public var imageRanges: [Range<Int>]
    public var settings: VerificationSettings
    public var layers: [LayerStatistics]
}

/// Why two verification records cannot be merged, or a record is not valid.
public enum VerificationRecordError: Error, Equatable, CustomStringConvertible {
    /// A field that must agree differs.
    case mismatch(field: String, first: String, second: String)
    /// Both records contain these images.
    case overlap(images: Range<Int>)
    /// A field breaks the format's rules.
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .mismatch(let field, let first, let second):
            "\(field) differs: \(first) vs \(second); only results of the same model, precision, "
                + "weights, data and settings merge"
        case .overlap(let images):
            "images \(images.lowerBound)..<\(images.upperBound) are in both results; "
                + "merge only disjoint ranges (shards of a split)"
        case .invalid(let field, let message): "\(field) \(message)"
        }
    }
}
