// A command-line client of Rotor and of the example resource service: signs up (if needed), logs in, calls the
// service through RotorClient (which attaches the token and refreshes it), then logs out.
//
//   swift run ExampleClient --rotor http://127.0.0.1:8080 --service http://127.0.0.1:9090 \
//       --email ada@example.com --password 'correct horse battery' [--dpop]
import Foundation
import RotorClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else {
        return nil
    }
    return CommandLine.arguments[index + 1]
}

guard let rotor = option("--rotor").flatMap(URL.init(string:)),
    let service = option("--service").flatMap(URL.init(string:)),
    let email = option("--email"), let password = option("--password")
else {
    FileHandle.standardError.write(
        Data("usage: ExampleClient --rotor URL --service URL --email E --password P [--dpop]\n".utf8)
    )
    exit(2)
}
let dpop = CommandLine.arguments.contains("--dpop")
let client = RotorClient(baseURL: rotor, useDPoP: dpop)

do {
    do {
        try await client.signUp(email: email, password: password)
        print("signed up \(email)")
    } catch RotorClientError.server(409, _, _) {
        print("\(email) already has an account")
    }
    try await client.logIn(email: email, password: password, deviceName: "example client")
    print("logged in\(dpop ? " with a DPoP-bound session" : "")")
    for attempt in 1...2 {
        let (body, response) = try await client.send(
            authorized: URLRequest(url: service.appendingPathComponent("hello"))
        )
        print(
            "GET /hello → \(response.statusCode): \(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))"
        )
        if attempt == 1 {
            try await client.refresh()
            print("refreshed")
        }
    }
    let (_, admin) = try await client.send(authorized: URLRequest(url: service.appendingPathComponent("admin")))
    print("GET /admin → \(admin.statusCode)")
    try await client.logOut()
    print("logged out")
} catch {
    FileHandle.standardError.write(Data("example client: \(error)\n".utf8))
    exit(1)
}
