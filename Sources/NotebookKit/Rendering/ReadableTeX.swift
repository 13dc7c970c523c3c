/// TeX as a reader would type it: `\mathbf{x}_b` → `x_b`, `\langle x \mid H \rangle` →
/// `⟨x | H⟩`. Used where math must show as plain text (search results' section titles).
enum ReadableTeX {
    /// Commands that only choose a font or a size: dropped, their argument kept.
    static let dropped: Set<String> = [
        "mathbf", "mathrm", "mathit", "mathcal", "mathbb", "boldsymbol", "bm", "text", "textrm",
        "operatorname", "left", "right", "big", "Big", "bigl", "bigr", "displaystyle",
    ]

    /// Commands shown as a symbol.
    static let symbols: [String: String] = [
        "langle": "⟨", "rangle": "⟩", "mid": "|", "cdot": "·", "times": "×", "top": "ᵀ",
        "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "approx": "≈", "in": "∈",
        "sum": "Σ", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
        "varepsilon": "ε", "lambda": "λ", "mu": "μ", "sigma": "σ", "Sigma": "Σ", "phi": "φ",
        "partial": "∂", "infty": "∞", ",": " ", ";": " ", "quad": " ",
    ]

    /// The readable form of `tex`.
    static func text(_ tex: String) -> String {
        var result = ""
        var index = tex.startIndex
        while index < tex.endIndex {
            let character = tex[index]
            index = tex.index(after: index)
            switch character {
            case "\\":
                var name = ""
                while index < tex.endIndex, tex[index].isLetter {
                    name.append(tex[index])
                    index = tex.index(after: index)
                }
                if name.isEmpty, index < tex.endIndex {
                    name = String(tex[index])
                    index = tex.index(after: index)
                }
                if let symbol = symbols[name] {
                    result += symbol
                } else if !dropped.contains(name) {
                    result += name
                }
            case "{", "}":
                continue
            default:
                result.append(character)
            }
        }
        return result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
