import Crypto
import Foundation
import Hummingbird

// The least a client_credentials grant can cost on Hummingbird: the body read, one ES256 signature over a token of
// Rotor's size, and an answer of Rotor's size with Rotor's headers. No client check, no form parsing, no
// middleware, no claims to write: what is left when everything Rotor does of its own is taken away.
let key = P256.Signing.PrivateKey()

func base64URL(_ data: some DataProtocol) -> String {
    Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
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
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rotor")
)
try await app.runService()
