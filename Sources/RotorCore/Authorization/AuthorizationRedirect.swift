import Foundation

/// The `Location` of an authorization answer: the registered redirect URI with the answer's parameters added to its
/// query, always with `iss` (RFC 9207), so that a client talking to several providers knows which one answered.
public enum AuthorizationRedirect {
    /// The characters a query value keeps as they are (RFC 3986 unreserved); everything else is percent-encoded.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// The success answer: `code`, `state` when sent, `iss`.
    public static func success(redirectURI: String, code: String, state: String?, issuer: String) -> String {
        location(redirectURI, [("code", code), ("state", state), ("iss", issuer)])
    }

    /// An error answer: `error`, `error_description`, `state` when sent, `iss`.
    public static func error(_ response: AuthorizationErrorResponse, issuer: String) -> String {
        location(
            response.redirectURI,
            [
                ("error", response.error), ("error_description", response.description), ("state", response.state),
                ("iss", issuer),
            ]
        )
    }

    /// A registered URI with parameters added to its query (nil values left out), percent-encoded.
    public static func location(_ redirectURI: String, _ parameters: [(String, String?)]) -> String {
        let query = parameters.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
        }.joined(separator: "&")
        return redirectURI + (redirectURI.contains("?") ? "&" : "?") + query
    }
}
