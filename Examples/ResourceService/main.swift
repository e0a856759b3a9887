// A resource service protected by Rotor: every request's access token is verified here, with no database and no
// call to Rotor (only its JWKS and its revocation feed, fetched in the background).
//
//   ROTOR_URL=http://127.0.0.1:8080 PORT=9090 swift run ExampleResourceService
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import RotorVerifier
import RotorVerifierHummingbird
import ServiceLifecycle
import UnixSignals

let environment = ProcessInfo.processInfo.environment
let rotorURL = environment["ROTOR_URL"] ?? "http://127.0.0.1:8080"
let port = Int(environment["PORT"] ?? "") ?? 9090
var logger = Logger(label: "example-resource-service")
logger.logLevel = .info

var settings = VerifierConfiguration(issuer: rotorURL)
settings.revocations?.pollInterval = Double(environment["REVOCATION_POLL_SECONDS"] ?? "") ?? 2
let verifier = AccessTokenVerifier(configuration: settings, logger: logger)

let router = Router(context: RotorRequestContext.self)
router.add(middleware: RotorAuthenticator(verifier: verifier, publicURL: "http://127.0.0.1:\(port)"))
router.group("hello")
    .add(middleware: RequireRotorAccess())
    .get { _, context in
        let caller = try context.requireIdentity()
        return "hello \(caller.subject), session \(caller.sessionId)\n"
    }
router.group("admin")
    .add(middleware: RequireRotorAccess.require(role: "admin"))
    .get { _, _ in "welcome, administrator\n" }

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "example"),
    onServerRunning: { _ in
        // Written straight to the file descriptor: a supervisor reading a pipe sees it at once.
        FileHandle.standardOutput.write(Data("resource service listening on http://127.0.0.1:\(port)\n".utf8))
    },
    logger: logger
)
let services = ServiceGroup(
    configuration: .init(services: [verifier, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
)
try await services.run()
