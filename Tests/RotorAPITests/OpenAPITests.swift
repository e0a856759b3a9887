import Foundation
import RotorAPI
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// `GET /openapi.json` documents exactly the routes the server serves, and is a valid OpenAPI 3.1 document.
@Suite("OpenAPI document")
struct OpenAPITests {
    static func documentedRoutes(_ document: [String: Any]) -> Set<APIRoute> {
        var routes = Set<APIRoute>()
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                routes.insert(APIRoute(method: method.uppercased(), path: path))
            }
        }
        return routes
    }

    @Test("every served route is documented and every documented route is served")
    func matchesRouter() async throws {
        try await InProcessServer.run { http, path in
            let answer = try await http.get("/openapi.json")
            #expect(answer.status == 200)
            #expect(answer.string("openapi") == "3.1.0")
            let documented = Self.documentedRoutes(answer.json)

            var configuration = InProcessServer.configuration(databasePath: path)
            configuration.introspectionSecret = "any-secret-for-the-table"
            let served = try await withOpenStore(configuration.database, logger: InProcessServer.quietLogger) { store in
                let engine = try await makeEngine(
                    configuration: configuration,
                    store: store,
                    logger: InProcessServer.quietLogger
                )
                return Set(buildAPI(engine: engine, health: store, options: APIOptions(metricsText: { "" })).routes)
            }
            #expect(served.count > 20)
            let undocumented = served.subtracting(documented).map(\.description).sorted()
            let unserved = documented.subtracting(served).map(\.description).sorted()
            #expect(undocumented.isEmpty, "routes missing from the document: \(undocumented)")
            #expect(unserved.isEmpty, "documented routes the server lacks: \(unserved)")
        }
    }

    @Test("the document validates as OpenAPI 3.1 (openapi-spec-validator)")
    func validates() async throws {
        try await InProcessServer.run { http, path in
            let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("openapi.json")
            try await http.get("/openapi.json").body.write(to: file)
            let process = Process()
            // scripts/test puts the validator in a venv (PEP 668) and names its interpreter.
            let python = ProcessInfo.processInfo.environment["ROTOR_TEST_PYTHON"] ?? "python3"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                python, "-c",
                "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))",
                file.path,
            ]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "openapi-spec-validator (scripts/test installs it): \(message)")
        }
    }
}
