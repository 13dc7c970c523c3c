import BackMap
import NotebookKit

/// The parsers this project owns, as fuzzing targets: each takes arbitrary bytes and must return
/// or throw a typed error, never trap, hang or read out of bounds. `Scripts/fuzz.sh` runs them
/// under libFuzzer; `FuzzTargetsTests` replays every kept input (crashes found, and seeds).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A notebook's YAML front matter (Yams, then the project's own field checks).
    case frontMatter = "front-matter"
    /// A whole notebook: front matter, cmark body, block options, math protection.
    case notebook
    /// The math protector alone (the `$…$` / `$$…$$` scanner and cross-references).
    case math
    /// A safetensors file: header length, JSON header, dtypes, offsets, then every tensor read.
    case safetensors
    /// A CIFAR-10 and a CIFAR-100 binary batch.
    case cifar

    /// Feeds one input to the parser.
    public func run(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .frontMatter:
            _ = try? FrontMatter.split("---\n" + text + "\n---\nbody\n", file: "fuzz.md")
        case .notebook:
            _ = try? Notebook(source: text, path: "fuzz.md")
        case .math:
            _ = try? MathProtector(file: "fuzz.md", excludedLines: []).protect(text)
        case .safetensors:
            guard let file = try? SafeTensorsFile(bytes: data) else { return }
            for (_, tensor) in file.tensors {
                _ = tensor.floatingValues(as: Double.self)
                _ = tensor.integerValues()
            }
        case .cifar:
            _ = try? CIFAR.parse(data, format: .cifar10)
            _ = try? CIFAR.parse(data, format: .cifar100)
        }
    }
}
