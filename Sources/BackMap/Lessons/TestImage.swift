import Foundation
import LinearAlgebra

/// A CIFAR-10 test image with its index in `test_batch.bin`, its label and class name.
///
/// ```swift
/// let images = try TestImage.cifar10(limit: 50)
/// print(images[0])              // test image 0 (cat)
/// let x: FeatureMap<Double> = images[0].pixels()
/// ```
public struct TestImage: Hashable, Sendable, CustomStringConvertible {
    /// CIFAR-10's class names, by label.
    public static let cifar10ClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// The record's index in the test batch.
    public var index: Int
    /// The record as read from the file.
    public var record: CIFARImage

    /// The class label (0…9).
    public var label: Int { record.label }
    /// The class name of the label.
    public var className: String { Self.className(of: label) }

    /// The name of class `label` (`"class 12"` outside CIFAR-10's ten).
    ///
    /// ```swift
    /// TestImage.className(of: predicted)  // "dog"
    /// ```
    public static func className(of label: Int) -> String {
        cifar10ClassNames.indices.contains(label) ? cifar10ClassNames[label] : "class \(label)"
    }

    /// The image as a `32 × 32 × 3` map, values in `[0, 1]`.
    ///
    /// ```swift
    /// let x32 = image.pixels(as: Float.self)
    /// ```
    public func pixels<T: BLASScalar>(as type: T.Type = T.self) -> FeatureMap<T> {
        record.image(as: T.self)
    }

    /// `test image 7 (frog)`.
    public var description: String { "test image \(index) (\(className))" }

    /// The first `limit` images of CIFAR-10's `test_batch.bin` (in `$CIFAR10_DIR`, else the
    /// shared data folder beside the project).
    ///
    /// ```swift
    /// let first50 = try TestImage.cifar10(limit: 50)
    /// ```
    /// - Throws: ``PlacedError`` naming the file for a missing or truncated batch.
    public static func cifar10(limit: Int? = nil, root: URL = ProjectRoot.current) throws -> [TestImage] {
        let url = CIFAR.defaultDirectory(root: root).appendingPathComponent("test_batch.bin")
        return try CIFAR.read(contentsOf: url, limit: limit).enumerated().map {
            TestImage(index: $0.offset, record: $0.element)
        }
    }
}
