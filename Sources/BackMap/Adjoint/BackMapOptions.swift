/// Settings of a back-map: the evaluation point, own-bias handling and accumulation
/// precision. Layer-wide verification shares them (``VerificationOptions/backMap``).
public struct BackMapOptions: Hashable, Sendable {
    /// The factor `k` of the evaluation point `z = k·[x; x_b]` (the paper uses 1/8).
    public var scale: Double = 0.125
    /// Whether the unit's own bias is part of the reconstructed value (RM0–RM2 only; the paper
    /// reconstructs the value before its own bias, so the default is `false`).
    public var includeOwnBias = false
    /// Accumulate the inner products `⟨x|H^I⟩ + ⟨x_b|H^b⟩` in `Double` even for `Float`
    /// (otherwise in the working precision, as a plain float32 implementation would).
    public var accumulateInDouble = false

    public init(scale: Double = 0.125, includeOwnBias: Bool = false, accumulateInDouble: Bool = false) {
        self.scale = scale
        self.includeOwnBias = includeOwnBias
        self.accumulateInDouble = accumulateInDouble
    }
}
