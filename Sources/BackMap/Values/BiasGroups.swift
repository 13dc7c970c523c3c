import LinearAlgebra

/// One scalar of the bias part of a hypersurface: the bias value `x_{b,m}` beside its
/// coefficient `H^b_m`.
///
/// ```swift
/// for term in h.biasByLayer[0].terms where term.product != 0 {
///     print(term.entry, term.value, term.coefficient)  // bn0[5] 0.12 -0.03
/// }
/// ```
public struct BiasTerm<T: BLASScalar>: Sendable {
    /// The entry's index `m` in `x_b`.
    public var index: Int
    /// Where it comes from (source node and channel).
    public var entry: BiasEntry
    /// `x_{b,m}`.
    public var value: T
    /// `H^b_m`.
    public var coefficient: T
    /// `x_{b,m} · H^b_m` in double precision.
    public var product: Double { Double(value) * Double(coefficient) }
}

/// The bias scalars of one source layer (a folded batch norm `bn3`, a Fixup bias, the FC
/// bias) and their share of `⟨x_b|H^b⟩`.
///
/// ```swift
/// for group in h.biasByLayer {
///     print(group.source, group.contribution, group.magnitude)  // bn0 0.41 1.73
/// }
/// ```
public struct BiasGroup<T: BLASScalar>: Sendable {
    /// The node of the original network the biases belong to (`bn0`, `fixup.bias5`, `fc.bias`).
    public var source: String
    /// The layer the biases are added to directly, if any.
    public var layer: String?
    /// The scalars, in `x_b` order.
    public var terms: [BiasTerm<T>]
    /// `Σ_m x_{b,m} H^b_m` over the group (double precision, in `x_b` order).
    public var contribution: Double
    /// `Σ_m |x_{b,m} H^b_m|` over the group.
    public var magnitude: Double
}

extension HyperSurface {
    /// `H^b` grouped by the layer each bias scalar belongs to, in the order the layers first
    /// appear in `x_b`; the groups' ``BiasGroup/contribution``s add up to `⟨x_b|H^b⟩`
    /// (in double precision).
    ///
    /// ```swift
    /// let fromConv0 = h.biasByLayer.first { $0.source == "bn0" }?.contribution
    /// ```
    public var biasByLayer: [BiasGroup<T>] {
        var groups: [BiasGroup<T>] = []
        var position: [String: Int] = [:]
        for (m, entry) in biasEntries.enumerated() {
            let term = BiasTerm(index: m, entry: entry, value: biasValues[m], coefficient: bias[m])
            let group: Int
            if let known = position[entry.source] {
                group = known
            } else {
                group = groups.count
                position[entry.source] = group
                groups.append(
                    BiasGroup(
                        source: entry.source, layer: entry.layer, terms: [], contribution: 0, magnitude: 0))
            }
            groups[group].terms.append(term)
            groups[group].contribution += term.product
            groups[group].magnitude += abs(term.product)
        }
        return groups
    }
}
