import Foundation
import NotebookSupport

/// Splits a notebook program's output stream into the outputs of each block.
struct OutputParser {
    /// The most printed text kept per block; the rest is cut with a note.
    static let maximumTextBytes = 256 * 1024

    /// The outputs per block, and what the stream said about the end of the run.
    struct Parsed {
        var blocks: [RunRecord.Block]
        /// The index of the last block that began, if any.
        var lastBlock: Int?
        /// Whether the program reported that every block ran.
        var isFinished: Bool
    }

    /// Parses the whole output of a run.
    ///
    /// An event line that does not decode becomes an unexpected error of the block it is in,
    /// naming the event's number and the field that was wrong.
    ///
    /// - Parameters:
    ///   - output: Standard output and standard error, interleaved.
    ///   - blockCount: The number of Swift blocks in the notebook.
    static func parse(_ output: Data, blockCount: Int) -> Parsed {
        var splitter = Splitter(blockCount: blockCount)
        let marker = Array(OutputEvent.marker.utf8)
        let bytes = [UInt8](output)
        var index = 0
        while index < bytes.count {
            if bytes[index] == marker[0], index + marker.count <= bytes.count,
                Array(bytes[index..<(index + marker.count)]) == marker
            {
                let start = index + marker.count
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                index = min(bytes.count, end + 1)
                splitter.handleEvent(Data(bytes[start..<end]))
            } else {
                splitter.text.append(bytes[index])
                index += 1
            }
        }
        splitter.flushText()
        return splitter.parsed
    }

    /// The state of one parse: the outputs so far, the current block and pending text.
    private struct Splitter {
        var parsed: Parsed
        let blockCount: Int
        var text: [UInt8] = []
        var eventCount = 0
        let decoder = JSONDecoder()

        init(blockCount: Int) {
            self.blockCount = blockCount
            parsed = Parsed(
                blocks: [RunRecord.Block](repeating: RunRecord.Block(), count: blockCount), lastBlock: nil,
                isFinished: false)
        }

        /// The block that output belongs to: the current one, else the first.
        var block: Int? { parsed.lastBlock ?? (blockCount > 0 ? 0 : nil) }

        mutating func append(_ item: OutputItem) {
            if let block { parsed.blocks[block].items.append(item) }
        }

        /// Adds the pending text to the current block (joined to a text item just before it).
        mutating func flushText() {
            defer { text = [] }
            guard let block, !text.isEmpty else { return }
            var kept = text
            var note = ""
            if kept.count > maximumTextBytes {
                note = "\n… \(kept.count - maximumTextBytes) more bytes of output not shown\n"
                kept = Array(kept.prefix(maximumTextBytes))
            }
            let string = String(decoding: kept, as: UTF8.self) + note
            if case .text(let previous) = parsed.blocks[block].items.last {
                parsed.blocks[block].items[parsed.blocks[block].items.count - 1] = .text(previous + string)
            } else {
                parsed.blocks[block].items.append(.text(string))
            }
        }

        mutating func handleEvent(_ json: Data) {
            eventCount += 1
            flushText()
            let event: OutputEvent
            do {
                event = try decoder.decode(OutputEvent.self, from: json)
            } catch {
                append(
                    .error(
                        message: "the runner could not read output event \(eventCount) of the program: "
                            + OutputDecoding.describe(error), isExpected: false))
                return
            }
            switch event {
            case .begin(let block):
                if block >= 0, block < blockCount { parsed.lastBlock = block }
            case .item(let item):
                append(item)
            case .finish:
                parsed.isFinished = true
            }
        }
    }

    /// The block indices that began in a chunk of output, for progress reports.
    static func beganBlocks(in chunk: Data) -> [Int] {
        let marker = Data(OutputEvent.marker.utf8)
        var result: [Int] = []
        var searchRange = chunk.startIndex..<chunk.endIndex
        while let found = chunk.range(of: marker, in: searchRange) {
            let end = chunk[found.upperBound...].firstIndex(of: UInt8(ascii: "\n")) ?? chunk.endIndex
            if let event = try? JSONDecoder().decode(
                OutputEvent.self, from: chunk[found.upperBound..<end]
            ), case .begin(let block) = event {
                result.append(block)
            }
            searchRange = end..<chunk.endIndex
        }
        return result
    }
}
