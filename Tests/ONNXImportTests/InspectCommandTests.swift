import CommandTestSupport
import Foundation
import Testing

@testable import ONNXImport

/// `backmap inspect` as a user runs it: a real process on the committed fixtures.
@Suite struct InspectCommandTests {
    static func run(_ arguments: [String]) throws -> BackMapExecutable.Result {
        try BackMapExecutable.run(arguments)
    }

    struct Report: Decodable {
        struct Layer: Decodable { var name: String }
        struct Verification: Decodable {
            struct Row: Decodable {
                var withinOnePercent: Double
                var maxAbsError: Double
            }
            var layers: [Row]
        }
        var biasCount: Int
        var layers: [Layer]
        var operators: [[String: String]]
        var verification: Verification?
    }

    @Test func jsonReportMatchesTheImportedNetwork() throws {
        let url = Fixtures.url("resnet_projection")
        let result = try Self.run(["inspect", url.path, "--images", "1", "--precision", "double", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let report = try JSONDecoder().decode(Report.self, from: result.output)
        let network = try ONNXImporter.importModel(contentsOf: url, as: Double.self).network.folded()
        #expect(report.layers.map(\.name) == network.layers.map(\.name))
        #expect(report.biasCount == network.biasValues.count)
        let rows = try #require(report.verification?.layers)
        #expect(rows.count == network.layers.count)
        #expect(rows.allSatisfy { $0.withinOnePercent == 100 && $0.maxAbsError < 1e-9 })
    }

    @Test func refusedModelExitsWithTheReason() throws {
        let result = try Self.run(["inspect", Fixtures.url("tanh").path])
        #expect(result.status != 0)
        #expect(result.error.contains("(Tanh)") && result.error.contains("Notebooks/limits.md"))
    }
}
