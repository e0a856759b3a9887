// A command-line tool that signs in with the device flow (RFC 8628), as a tool without a browser does: it prints a
// code and an address, the person approves on any screen where they are signed in to Rotor, and the tool gets a
// session of its own, kept in a file (mode 0600) so that the next run needs no sign-in.
//
//   swift run ExampleDeviceLogin --rotor http://127.0.0.1:8080 --client-id tv \
//       [--session-file ~/.config/example/session.json] [--sign-out]
//
// The client must be registered for the device grant, as a public client:
//   rotor clients create --client-id tv --client-name "Example CLI" --token-endpoint-auth-method none \
//       --grant-type urn:ietf:params:oauth:grant-type:device_code --grant-type refresh_token --scope "openid email"
import Foundation
import RotorClient
import RotorProtocol

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else {
        return nil
    }
    return CommandLine.arguments[index + 1]
}

func say(_ line: String) {
    // Unbuffered, so that the code shows at once even when the output is a pipe.
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

guard let rotor = option("--rotor").flatMap(URL.init(string:)), let clientId = option("--client-id") else {
    FileHandle.standardError.write(
        Data("usage: ExampleDeviceLogin --rotor URL --client-id ID [--session-file PATH] [--sign-out]\n".utf8)
    )
    exit(2)
}
let file = option("--session-file").map { URL(fileURLWithPath: $0) }
let store: any TokenStore = file.map { FileTokenStore(url: $0) } ?? MemoryTokenStore()
let client = RotorClient(baseURL: rotor, store: store)

do {
    if try await client.isLoggedIn {
        say("already signed in")
    } else {
        try await client.signInWithDevice(clientId: clientId, scope: "openid email") { prompt in
            say("To sign in, open \(prompt.verificationURI) and enter the code \(prompt.userCode)")
            if let complete = prompt.verificationURIComplete { say("(or open \(complete))") }
            say("waiting for approval…")
        }
        say("signed in")
    }
    let (body, response) = try await client.send(
        authorized: URLRequest(url: rotor.appendingPathComponent("oauth/userinfo"))
    )
    guard response.statusCode == 200 else {
        say("userinfo → \(response.statusCode)")
        exit(1)
    }
    let me = try JSONDecoder().decode(UserInfoResponse.self, from: body)
    say("you are \(me.email ?? me.sub)")
    if CommandLine.arguments.contains("--sign-out") {
        try await client.logOut()
        say("signed out")
    }
} catch RotorClientError.server(_, "access_denied", _) {
    say("the sign-in was denied")
    exit(1)
} catch RotorClientError.server(_, "expired_token", _) {
    say("the code expired: run again")
    exit(1)
} catch {
    FileHandle.standardError.write(Data("device login: \(error)\n".utf8))
    exit(1)
}
