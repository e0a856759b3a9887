import Foundation

/// A browser for the provider's pages: a cookie jar over the test client, forms posted as browsers post them, no
/// redirects followed.
public actor TestBrowser {
    /// The server it talks to.
    public let http: TestHTTP
    /// The cookies it holds, by name.
    public private(set) var cookies: [String: String]

    /// A browser with `cookies` (none by default).
    public init(_ http: TestHTTP, cookies: [String: String] = [:]) {
        self.http = http
        self.cookies = cookies
    }

    /// Sends a request with the cookies, and keeps the ones the answer sets.
    /// - Parameter form: Fields posted as `application/x-www-form-urlencoded`.
    public func send(_ method: Method, _ path: String, form: [(String, String)]? = nil) async throws -> HTTPAnswer {
        var headers: [(String, String)] = []
        if !cookies.isEmpty {
            headers.append(("Cookie", cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")))
        }
        var body: Data?
        if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Data(Self.encode(form).utf8)
        }
        let answer = try await http.send(method, path, headers: headers, body: body)
        for header in answer.headerValues("Set-Cookie") {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return answer
    }

    /// A form body.
    public static func encode(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    /// A page's hidden form fields, unescaped: what a browser posts back with the visible ones.
    public static func hiddenFields(_ html: String) -> [(String, String)] {
        let pattern = #/<input type="hidden" name="([^"]*)" value="([^"]*)">/#
        return html.matches(of: pattern).map { (unescape(String($0.output.1)), unescape(String($0.output.2))) }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
