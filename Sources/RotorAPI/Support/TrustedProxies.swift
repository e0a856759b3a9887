import Foundation

/// `ROTOR_TRUSTED_PROXIES`: the peers whose `X-Forwarded-For` is believed (SPEC §7). Entries are exact addresses
/// (`127.0.0.1`, `::1`) or IPv4 CIDR blocks (`10.0.0.0/8`). Empty by default: the client IP is the socket's peer.
public struct TrustedProxies: Sendable, Equatable {
    private var exact: Set<String>
    private var blocks: [(network: UInt32, mask: UInt32)]

    /// No trusted proxy.
    public static let none = TrustedProxies(exact: [], blocks: [])

    private init(exact: Set<String>, blocks: [(network: UInt32, mask: UInt32)]) {
        self.exact = exact
        self.blocks = blocks
    }

    /// Parses a comma-separated list.
    /// - Returns: nil when an entry is neither an address nor an IPv4 CIDR block.
    public init?(list: String) {
        var exact: Set<String> = []
        var blocks: [(UInt32, UInt32)] = []
        for raw in list.split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            if let slash = entry.firstIndex(of: "/") {
                guard let network = Self.ipv4(String(entry[..<slash])), let bits = Int(entry[entry.index(after: slash)...]),
                    (0...32).contains(bits)
                else { return nil }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                blocks.append((network & mask, mask))
            } else {
                guard Self.ipv4(entry) != nil || entry.contains(":") else { return nil }
                exact.insert(entry.lowercased())
            }
        }
        self.init(exact: exact, blocks: blocks)
    }

    /// Whether an address is a trusted proxy.
    public func contains(_ address: String) -> Bool {
        if exact.contains(address.lowercased()) { return true }
        guard let value = Self.ipv4(address) else { return false }
        return blocks.contains { value & $0.mask == $0.network }
    }

    /// The client address: the peer, unless the peer is trusted, then the right-most address of
    /// `X-Forwarded-For` that is not itself a trusted proxy.
    public func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty && !contains(hop) {
            return String(hop.prefix(64))
        }
        return peer
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// Equal when both trust the same addresses and blocks.
    public static func == (lhs: TrustedProxies, rhs: TrustedProxies) -> Bool {
        lhs.exact == rhs.exact && lhs.blocks.map(\.network) == rhs.blocks.map(\.network)
            && lhs.blocks.map(\.mask) == rhs.blocks.map(\.mask)
    }
}
