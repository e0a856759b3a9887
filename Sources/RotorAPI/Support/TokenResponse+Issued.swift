import Foundation
import HTTPTypes
import Hummingbird
import RotorCore
import RotorProtocol

extension TokenResponse {
    /// The wire form of a freshly issued pair.
    init(_ tokens: IssuedTokens, includeRefreshToken: Bool = true) {
        self.init(
            accessToken: tokens.accessToken,
            tokenType: tokens.tokenType,
            expiresIn: tokens.accessExpiresIn,
            refreshToken: includeRefreshToken && tokens.includesRefreshToken ? tokens.refreshToken.value : nil,
            refreshTokenExpiresIn: tokens.refreshExpiresIn,
            sessionId: tokens.session.id,
            idToken: tokens.idToken,
            scope: tokens.session.clientId == ClientRegistration.builtInClientId ? nil : tokens.session.scope
        )
    }
}

extension JSONResponse {
    /// The headers of every token answer: never cached by anyone (RFC 6749 §5.1).
    static let noStoreHeaders: HTTPFields = [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]

    /// A token answer.
    static func tokens(_ tokens: IssuedTokens, includeRefreshToken: Bool = true) throws -> Response {
        try make(TokenResponse(tokens, includeRefreshToken: includeRefreshToken), headers: noStoreHeaders)
    }
}
