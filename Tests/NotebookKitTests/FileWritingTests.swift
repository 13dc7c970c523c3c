import Foundation
import Testing

@testable import NotebookKit

@Suite("File writing")
struct FileWritingTests {
    @Test func changedFileMovesItsTimeForwardEvenWithinOneSecond() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("main.swift")
        func modified() throws -> Date {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return try #require(attributes[.modificationDate] as? Date)
        }
        #expect(try FileWriting.writeIfChanged(Data("let a = 1\n".utf8), to: url))
        let first = try modified()
        #expect(try FileWriting.writeIfChanged(Data("let a = 2\n".utf8), to: url))
        let second = try modified()
        let wholeSeconds = { (date: Date) in date.timeIntervalSince1970.rounded(.down) }
        #expect(wholeSeconds(second) > wholeSeconds(first))
        // Unchanged contents: not written, time unchanged.
        #expect(try !FileWriting.writeIfChanged(Data("let a = 2\n".utf8), to: url))
        #expect(try modified() == second)
    }

    @Test func swapReplacesTheWholeFolder() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = folder.appendingPathComponent("Site")
        let staging = folder.appendingPathComponent(".Site.tmp")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try TestSupport.write("old", to: "stale.html", in: site)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try TestSupport.write("new", to: "index.html", in: staging)
        try FileWriting.swapDirectory(staging, into: site)
        #expect(FileWriting.files(under: site) == ["index.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["Site"])
    }

    @Test func katexCSSKeepsOnlyWOFF2Fonts() {
        let css =
            "@font-face{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) "
            + "format('woff2'),url(fonts/KaTeX_AMS-Regular.woff) format('woff'),"
            + "url(fonts/KaTeX_AMS-Regular.ttf) format('truetype');font-weight:400}"
        #expect(
            SiteAssets.keepingWOFF2Only(css) == "@font-face{font-family:KaTeX_AMS;"
                + "src:url(fonts/KaTeX_AMS-Regular.woff2) format('woff2');font-weight:400}")
    }
}
