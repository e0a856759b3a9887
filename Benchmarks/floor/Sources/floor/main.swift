import Crypto
import Foundation
import Hummingbird
import Logging

// The least a client_credentials grant can cost on Hummingbird: the body read, one ES256 signature over a token of
// Rotor's size, and an answer of Rotor's size with Rotor's headers. No client check, no form parsing, no
// middleware, no claims to write: what is left when everything Rotor does of its own is taken away.
let key = P256.Signing.PrivateKey()

// Unpadded base64url on bytes: Foundation's base64 and three `replacingOccurrences` passes were 17 % of this
// server's profile, which Rotor does not pay.
let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
func base64URL(_ data: some DataProtocol) -> String {
    let bytes = Array(data)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count * 4 + 2) / 3)
    var index = 0
    while index < bytes.count {
        let chunk = bytes[index..<min(index + 3, bytes.count)]
        let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
        for position in 0...chunk.count { out.append(alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)]) }
        index += 3
    }
    return String(decoding: out, as: UTF8.self)
}

let header = base64URL(Data(#"{"alg":"ES256","kid":"es256-20261203-sW299ySgVtc","typ":"at+jwt"}"#.utf8))
let claims = base64URL(
    Data(
        #"{"iss":"http://rotor-bench.local","sub":"machine","aud":"http://rotor-bench.local","exp":1796308514,"iat":1796307614,"jti":"FgyEWD3L1FIrSUi2pEt_Zw","client_id":"machine","scope":"reports.read","roles":[]}"#
            .utf8
    )
)
let signingInput = Data((header + "." + claims).utf8)
let prefix = #"{"access_token":""# + header + "." + claims + "."

let router = Router()
router.post("oauth/token") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 65536)
    let signature = try key.signature(for: signingInput)
    var buffer = ByteBuffer()
    buffer.reserveCapacity(600)
    buffer.writeString(prefix)
    buffer.writeString(base64URL(signature.rawRepresentation))
    buffer.writeString(#"","expires_in":900,"scope":"reports.read","token_type":"Bearer"}"#)
    return Response(
        status: .ok,
        headers: [
            .cacheControl: "no-store", .init("Pragma")!: "no-cache", .contentType: "application/json; charset=utf-8",
            .init("X-Content-Type-Options")!: "nosniff", .init("X-Request-Id")!: "4a24962dac230057ba6b0b022d202ae9",
        ],
        body: .init(byteBuffer: buffer)
    )
}
let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "40701") ?? 40701
// No log handler: swift-log's StreamLogHandler renders its metadata again each time Hummingbird sets the request
// id, a cost Rotor's own handler does not have.
// Rotor's own HTTP/1.1 channel (the three files linked from Sources/RotorServer): each connection on its socket's
// event loop, flushes consolidated per pass of the loop, as `rotor serve` runs.
let app = Application(
    router: router,
    server: .http1OnEventLoops(),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rotor"),
    logger: Logger(label: "floor") { _ in SwiftLogNoOpLogHandler() }
)
try await app.runService()
