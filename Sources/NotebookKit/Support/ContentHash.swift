import Crypto

/// An incremental SHA-256 over the inputs of a cache key (swift-crypto's implementation).
struct ContentHash {
    private var hasher = SHA256()

    /// Adds bytes to the message.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        hasher.update(data: Array(bytes))
    }

    /// Adds a string's UTF-8 bytes, preceded by its length so that concatenations of different
    /// strings never collide.
    mutating func update(field: String) {
        let bytes = Array(field.utf8)
        update("\(bytes.count):".utf8)
        update(bytes)
    }

    /// The digest as 64 lowercase hexadecimal digits.
    func hexDigest() -> String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
