import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ROTOR_TRUSTED_PROXIES`: the peers whose `X-Forwarded-For` is believed (docs/protocol.md). Entries are addresses
/// (`127.0.0.1`, `::1`) or CIDR blocks of either family (`10.0.0.0/8`, `fd00::/8`). Empty by default: the client
/// IP is the socket's peer.
///
/// Every address is compared as 16 bytes, an IPv4 one in its IPv4-mapped IPv6 form (`::ffff:10.0.0.1`), because a
/// dual-stack socket reports IPv4 peers that way: `10.0.0.0/8` then covers `::ffff:10.1.2.3` as well.
public struct TrustedProxies: Sendable, Equatable {
    /// A block: the network's 16 bytes and the number of leading bits that must match.
    private struct Block: Sendable, Equatable {
        var network: [UInt8]
        var bits: Int

        func contains(_ address: [UInt8]) -> Bool {
            var remaining = bits
            for index in 0..<16 where remaining > 0 {
                let take = min(8, remaining)
                let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
                guard address[index] & mask == network[index] & mask else { return false }
                remaining -= take
            }
            return true
        }
    }

    private var blocks: [Block]

    /// No trusted proxy.
    public static let none = TrustedProxies(blocks: [])

    private init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// Parses a comma-separated list.
    /// - Returns: nil when an entry is neither an IPv4 or IPv6 address nor a CIDR block of one.
    public init?(list: String) {
        var blocks: [Block] = []
        for raw in list.split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let text = String(parts[0])
            guard let address = Self.address(text) else { return nil }
            // An IPv4 prefix counts from the 96 bits of the mapped form.
            let offset = text.contains(":") ? 0 : 96
            var bits = 128
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...(128 - offset)).contains(prefix) else { return nil }
                bits = offset + prefix
            }
            blocks.append(Block(network: address, bits: bits))
        }
        self.init(blocks: blocks)
    }

    /// Whether an address is a trusted proxy.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.address(address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    /// The client address: the peer, unless the peer is trusted, then the right-most address of
    /// `X-Forwarded-For` that is not itself a trusted proxy.
    public func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, !blocks.isEmpty, contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty && !contains(hop) {
            return String(hop.prefix(64))
        }
        return peer
    }

    /// The 16 bytes of an IPv6 address, or of an IPv4 address in its mapped form; nil for anything else.
    static func address(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        if text.contains(":") {
            let ok = bytes.withUnsafeMutableBytes { inet_pton(AF_INET6, text, $0.baseAddress) == 1 }
            return ok ? bytes : nil
        }
        var four = [UInt8](repeating: 0, count: 4)
        guard four.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) == 1 }) else { return nil }
        bytes[10] = 0xFF
        bytes[11] = 0xFF
        bytes.replaceSubrange(12..<16, with: four)
        return bytes
    }
}
