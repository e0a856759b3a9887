package import Foundation
import JWTKit
import Synchronization

/// Access tokens whose signature has already been checked (by Rotor or by RotorVerifier), so that a client
/// presenting the same token again (as every client does, for up to the access TTL) costs a dictionary lookup
/// instead of an ECDSA verification.
///
/// Safe because an entry is keyed by the exact bytes of a token whose signature verified with a key Rotor
/// publishes: the same bytes always verify the same way. What can change with time is checked on every hit
/// anyway: the claim rules (`exp`, `iat`, `iss`, `aud`) run again, and an entry whose `kid` has left the key set
/// is ignored. Only verified tokens enter, so a flood of forgeries cannot fill it; it is bounded all the same.
package final class VerifiedTokenCache: Sendable {
    private struct Entry: Sendable {
        let claims: AccessTokenClaims
        let kid: String
    }

    /// A token as its exact UTF-8 bytes: `String`'s own equality is Unicode canonical equivalence, under which
    /// `\u{212A}` (the Kelvin sign) equals `K`, so a second spelling of a verified token would hit its entry.
    private struct Key: Hashable, Sendable {
        let token: String

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.token.utf8.elementsEqual(rhs.token.utf8)
        }

        func hash(into hasher: inout Hasher) {
            var token = token
            token.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    /// - Parameter capacity: The most tokens kept; when full, expired tokens go first, then everything.
    package init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    /// The claims of `token` if it verified before with a key that is still published.
    package func claims(of token: String, publishedKids: [String: String]) -> AccessTokenClaims? {
        guard let entry = entries.withLock({ $0[Key(token: token)] }), publishedKids[entry.kid] != nil else {
            return nil
        }
        return entry.claims
    }

    /// Remembers a token whose signature verified.
    package func insert(_ token: String, claims: AccessTokenClaims, kid: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.claims.exp.value > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[Key(token: token)] = Entry(claims: claims, kid: kid)
        }
    }

    /// How many tokens are kept (for tests).
    package var count: Int { entries.withLock { $0.count } }
}
