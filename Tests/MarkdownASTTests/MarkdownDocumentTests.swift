import MarkdownAST
import Testing

@Suite("Parsing Markdown with libcmark")
struct MarkdownDocumentTests {
    @Test func walksBlocksWithKindsAndLines() {
        let source = """
            # Title

            Some *emphasis* and `code`.

            ```swift hide
            let x = 1
            ```

            - one
            - two
            """
        let document = MarkdownDocument(parsing: source)
        #expect(
            document.root.description == """
                document @1:1-10:5
                  heading(1) @1:1-1:7
                    text("Title") @1:3-1:7
                  paragraph @3:1-3:27
                    text("Some ") @3:1-3:5
                    emphasis @3:6-3:15
                      text("emphasis") @3:7-3:14
                    text(" and ") @3:16-3:20
                    code("code") @3:22-3:25
                    text(".") @3:27-3:27
                  codeBlock(info: "swift hide", "let x = 1\\n") @5:1-7:3
                  list(bullet tight) @9:1-10:5
                    item @9:1-9:5
                      paragraph @9:3-9:5
                        text("one") @9:3-9:5
                    item @10:1-10:5
                      paragraph @10:3-10:5
                        text("two") @10:3-10:5
                """
        )
    }

    @Test(arguments: [
        ("```swift\nx\n```", "swift"),
        ("~~~swift run=false\nx\n~~~", "swift run=false"),
        ("```\nx\n```", ""),
        ("    x\n", ""),
    ])
    func codeBlockKeepsInfoString(source: String, info: String) throws {
        let block = try #require(MarkdownDocument(parsing: source).codeBlocks.first)
        #expect(block.kind == .codeBlock(info: info, literal: "x\n"))
    }

    @Test func findsCodeBlocksNestedInListsAndQuotes() {
        let source = "> ```swift\n> let a = 1\n> ```\n\n1. item\n\n   ```swift\n   let b = 2\n   ```\n"
        let blocks = MarkdownDocument(parsing: source).codeBlocks
        #expect(
            blocks.map(\.kind) == [
                .codeBlock(info: "swift", literal: "let a = 1\n"),
                .codeBlock(info: "swift", literal: "let b = 2\n"),
            ])
        // The first code line of a fenced block is its start line + 1.
        #expect(blocks.map(\.range.lowerLine) == [1, 7])
    }

    @Test func unterminatedFenceRunsToTheEnd() throws {
        let block = try #require(MarkdownDocument(parsing: "text\n\n```swift\nlet x = 1\n").codeBlocks.first)
        #expect(block.kind == .codeBlock(info: "swift", literal: "let x = 1\n"))
        #expect(block.range.lowerLine == 3)
    }

    @Test func linksImagesAndPlainText() throws {
        let document = MarkdownDocument(parsing: "## A [link](x.html \"T\") ![alt](a.png)\n")
        let heading = try #require(document.blocks.first)
        #expect(heading.kind == .heading(level: 2))
        #expect(heading.plainText == "A link alt")
        let kinds = heading.preOrder.map(\.kind)
        #expect(kinds.contains(.link(destination: "x.html", title: "T")))
        #expect(kinds.contains(.image(destination: "a.png", title: "")))
    }

    @Test func rendersHTMLAndOmitsRawHTMLUnlessAllowed() {
        #expect(
            MarkdownHTML.render("*a* <b>x</b>")
                == "<p><em>a</em> <!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n")
        #expect(MarkdownHTML.render("*a* <b>x</b>", allowsRawHTML: true) == "<p><em>a</em> <b>x</b></p>\n")
    }

    @Test func emptyDocumentHasNoBlocks() {
        #expect(MarkdownDocument(parsing: "").blocks.isEmpty)
    }
}
