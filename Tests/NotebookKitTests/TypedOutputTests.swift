import Foundation
import NotebookSupport
import Testing

@testable import NotebookKit

/// Outputs as cases with their data: the JSON form, errors that name the field, typed table
/// cells, and a renderer that right-aligns because a cell says it is a number.
struct TypedOutputTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    private func decodingMessage<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
        do {
            _ = try decode(type, json)
            return nil
        } catch {
            return OutputDecoding.describe(error)
        }
    }

    @Test func everyCaseSurvivesTheJSONForm() throws {
        var table = Table(columns: ["layer", "units", "ε"])
        table.append(["conv1", 64, TableCell.scientific(1.5e-7)])
        table.append([TableCell.math("x_b"), Float(0.1), TableCell.text("12")])
        let items: [OutputItem] = [
            .text("a\n"), .value("x = 1"), .error(message: "refused", isExpected: true),
            .table(table, caption: .init("Errors.", label: "tab:e")),
            .image(
                .init(
                    file: "output-0001.png", caption: .init("H", label: "fig:h"), alt: "H", displayWidth: 96)),
            .chart(.init(file: "output-0002.svg")),
        ]
        let events = [OutputEvent.begin(block: 3)] + items.map(OutputEvent.item) + [.finish]
        let data = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([OutputEvent].self, from: data) == events)
        let json = String(decoding: try JSONEncoder().encode(items[4]), as: UTF8.self)
        #expect(json.contains(#""kind":"image""#) && json.contains(#""file":"output-0001.png""#))
    }

    @Test func badItemsNameTheField() {
        #expect(
            decodingMessage(OutputItem.self, #"{"kind":"image","caption":"x"}"#) == "field 'file' is missing")
        #expect(
            decodingMessage(OutputEvent.self, #"{"kind":"item","item":{"kind":"text"}}"#)
                == "field 'item.text' is missing")
        #expect(
            decodingMessage(OutputItem.self, #"{"kind":"error","text":"x","isExpected":"yes"}"#)?
                .hasPrefix("field 'isExpected' is not a Bool") == true)
        let ragged = #"{"kind":"table","columns":["a","b"],"rows":[[{"text":"1"}]]}"#
        #expect(
            decodingMessage(OutputItem.self, ragged)
                == "field 'rows': row 0 has 1 cells, the table has 2 columns")
        let cell = #"{"kind":"table","columns":["a"],"rows":[[{"colour":"red"}]]}"#
        #expect(
            decodingMessage(OutputItem.self, cell)
                == "field 'rows[0][0]': a table cell needs a 'text', 'number' or 'math' field")
        #expect(decodingMessage(OutputItem.self, #"{"kind":"movie"}"#)?.hasPrefix("field 'kind'") == true)
    }

    @Test func aMalformedEventBecomesAnErrorOfItsBlock() {
        let stream =
            OutputEvent.marker + #"{"block":0,"kind":"begin"}"# + "\n" + "before\n"
            + OutputEvent.marker + #"{"kind":"item","item":{"kind":"chart"}}"# + "\n"
            + OutputEvent.marker + #"{"kind":"finish"}"# + "\n"
        let parsed = OutputParser.parse(Data(stream.utf8), blockCount: 1)
        #expect(parsed.isFinished)
        #expect(
            parsed.blocks[0].items == [
                .text("before\n"),
                .error(
                    message: "the runner could not read output event 2 of the program: "
                        + "field 'item.file' is missing", isExpected: false),
            ])
    }

    @Test func cellsKnowWhetherTheyAreNumbers() {
        var table = Table(columns: ["name", "count", "share", "error", "note"])
        table.append(["conv1", 64, "85.08%", TableCell.scientific(0.000000123456), TableCell.text("12")])
        table.append(["conv2", UInt8(7), "−3", TableCell.fixed(2.0 / 3.0, digits: 2), "n/a"])
        #expect(table.cells[0][1] == .number(FormattedNumber(text: "64", format: .integer)))
        #expect(table.cells[0][2] == .number(FormattedNumber(text: "85.08%", format: .written)))
        #expect(
            table.cells[0][3] == .number(FormattedNumber(text: "1.23e-07", format: .scientific(digits: 2))))
        #expect(
            table.cells[1][3].text == "0.67" && table.cells[1][3].text == Table.fixed(2.0 / 3.0, digits: 2))
        #expect(table.cells[0][4] == .text("12"))
        #expect(table.columns.indices.map(table.isNumberColumn) == [false, true, true, true, false])
        #expect(Double(0.1).tableCell == .number(FormattedNumber(text: "0.1", format: .shortest)))
        #expect(Float(0.1).tableCell.text == "0.1")
        #expect(!Table(columns: ["x"]).isNumberColumn(0))
    }

    @Test func thePageAlignsByTheCellsTypeAndEscapesThroughTheTemplates() throws {
        let notebook = try Notebook(source: "Text.\n\n```swift\nshow(1)\n```\n", path: "t.md")
        var table = Table(columns: ["typed <n>", "text"])
        table.append([
            TableCell.number(FormattedNumber(text: "n/a", format: .written)), TableCell.text("1.5"),
        ])
        let items: [OutputItem] = [
            .table(table, caption: .init("A & B", label: "tab:t")),
            .error(message: "<refused>", isExpected: true),
            .image(.init(file: "a\"b.png", caption: .init("x"), alt: "it's", displayWidth: 8)),
        ]
        let record = RunRecord(cacheKey: "k", blocks: [.init(items: items)])
        let numbering = try Numbering(notebook: notebook, record: record)
        let page = PageRenderer(
            notebook: notebook, record: record, numbering: numbering, mathHTML: [], assetFolder: "t/",
            siteTitle: "S & T", previous: nil, next: PageLink(title: "<Next>", href: "n.html")
        ).render().html
        #expect(
            page.contains(
                "<th scope=\"col\" class=\"number\">typed &lt;n&gt;</th><th scope=\"col\">text</th>"))
        #expect(page.contains("<tr><td class=\"number\">n/a</td><td>1.5</td></tr>"))
        #expect(page.contains("<span class=\"caption-number\">Table 1.</span> A &amp; B</figcaption>"))
        #expect(page.contains("<strong>Error (expected)</strong><pre>&lt;refused&gt;</pre>"))
        #expect(page.contains("<img src=\"t/a&quot;b.png\" alt=\"it&#39;s\" width=\"8\">"))
        #expect(page.contains("<title>t · S &amp; T</title>"))
        #expect(page.contains("<a rel=\"next\" href=\"n.html\">&lt;Next&gt; →</a>"))
    }

    @Test func proseTextAndURLsAreEscapedByTheTemplates() throws {
        let source = """
            # A <b>

            See [x](http://e.org/?a=1&b=2 "t<'>") and ![i <](p.png "q") and `a<b`.

            3. three
            4. four

            ```sh "x"
            echo "<hi>"
            ```

            [bad](javascript:alert(1))

            """
        let notebook = try Notebook(source: source, path: "p.md")
        let numbering = try Numbering(notebook: notebook, record: nil)
        let page = PageRenderer(
            notebook: notebook, record: nil, numbering: numbering, mathHTML: [], assetFolder: "p/",
            siteTitle: "S", previous: nil, next: nil
        ).render().html
        #expect(page.contains("<h1 id=\"a\">A &lt;b&gt;</h1>"))
        #expect(page.contains("<a href=\"http://e.org/?a=1&amp;b=2\" title=\"t&lt;&#39;&gt;\">x</a>"))
        #expect(page.contains("<img src=\"p.png\" alt=\"i &lt;\" title=\"q\">"))
        #expect(page.contains("<code>a&lt;b</code>"))
        #expect(page.contains("<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"))
        #expect(
            page.contains(
                "<pre class=\"code\"><code class=\"language-sh\">echo &quot;&lt;hi&gt;&quot;\n</code></pre>"))
        #expect(page.contains("<a href=\"#\">bad</a>"))
    }

    @Test func everyTemplateParsesAndEscapesByDefault() throws {
        for template in Template.allCases {
            #expect(Templates.library.getTemplate(named: template.rawValue) != nil, "\(template)")
        }
        #expect(
            Templates.render(.text, ["text": "<&\"'>"])
                == "<pre class=\"output\">&lt;&amp;&quot;&#39;&gt;</pre>\n")
        #expect(
            Templates.render(.chartLabel, ["label": "a\"b"]) == "<svg role=\"img\" aria-label=\"a&quot;b\" ")
    }
}
