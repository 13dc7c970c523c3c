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
    /// - Parameters:
    ///   - output: Standard output and standard error, interleaved.
    ///   - blockCount: The number of Swift blocks in the notebook.
    static func parse(_ output: Data, blockCount: Int) -> Parsed {
        var blocks = [RunRecord.Block](repeating: RunRecord.Block(), count: blockCount)
        var current: Int?
        var isFinished = false
        var text: [UInt8] = []
        let marker = Array(OutputEvent.marker.utf8)
        let bytes = [UInt8](output)
        let decoder = JSONDecoder()

        func flushText() {
            guard let block = current ?? (blockCount > 0 ? 0 : nil), !text.isEmpty else {
                text = []
                return
            }
            var kept = text
            var note = ""
            if kept.count > maximumTextBytes {
                note = "\n… \(kept.count - maximumTextBytes) more bytes of output not shown\n"
                kept = Array(kept.prefix(maximumTextBytes))
            }
            let string = String(decoding: kept, as: UTF8.self) + note
            if let last = blocks[block].items.last, last.kind == .text {
                blocks[block].items[blocks[block].items.count - 1].text = (last.text ?? "") + string
            } else {
                blocks[block].items.append(OutputItem(kind: .text, text: string))
            }
            text = []
        }

        var index = 0
        while index < bytes.count {
            if bytes[index] == marker[0], index + marker.count <= bytes.count,
                Array(bytes[index..<(index + marker.count)]) == marker
            {
                let start = index + marker.count
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                index = min(bytes.count, end + 1)
                guard let event = try? decoder.decode(OutputEvent.self, from: Data(bytes[start..<end]))
                else { continue }
                flushText()
                switch event.kind {
                case .begin:
                    if let block = event.block, block >= 0, block < blockCount { current = block }
                case .item:
                    if let item = event.item, let block = current ?? (blockCount > 0 ? 0 : nil) {
                        blocks[block].items.append(item)
                    }
                case .finish:
                    isFinished = true
                }
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        flushText()
        return Parsed(blocks: blocks, lastBlock: current, isFinished: isFinished)
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
            ), event.kind == .begin, let block = event.block {
                result.append(block)
            }
            searchRange = end..<chunk.endIndex
        }
        return result
    }
}
