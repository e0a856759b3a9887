import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RotorCore
import RotorProtocol

extension APIError {
    /// The one mapping from any error to an answer. Engine refusals keep their meaning; an error nobody
    /// anticipated is a 500 with no details (the cause goes to the log only).
    /// - Parameter error: Whatever a route, middleware or Hummingbird threw.
    /// - Returns: The answer, and whether it is a fault the operator should see.
    public static func mapping(_ error: any Error) -> (APIError, isFault: Bool) {
        switch error {
        case let error as APIError:
            return (error, error.status.code >= 500)
        case let error as EngineError:
            return (engine(error), false)
        case is NIOTooManyBytesError:
            return (.payloadTooLarge, false)
        case let error as HTTPError:
            return (http(error), error.status.code >= 500)
        case let error as any HTTPResponseError where error.status.code < 500:
            return (http(status: error.status), false)
        default:
            return (.fault, true)
        }
    }

    static func engine(_ error: EngineError) -> APIError {
        switch error {
        case .invalidField(let name, let reason):
            return .invalidRequest("The field '\(name)' \(reason).")
        case .invalidCredentials:
            return APIError(.unauthorized, .invalidCredentials, "The email or the password is wrong.")
        case .invalidGrant(let failure):
            return APIError(.unauthorized, .invalidGrant, failure.description)
        case .invalidToken:
            return .invalidToken(credentialsSent: true)
        case .accountDisabled:
            return APIError(.forbidden, .accountDisabled, "This account has been disabled.")
        case .emailTaken:
            return APIError(.conflict, .emailTaken, "An account with this email address already exists.")
        case .clientExists:
            return APIError(.conflict, .clientExists, "A client with this id is registered already.")
        case .notFound:
            return .notFound
        case .forbidden:
            return APIError(.forbidden, .forbidden, "This action needs a role the caller does not have.")
        case .rateLimited(let retryAfter):
            return APIError(
                .tooManyRequests,
                .rateLimited,
                "Too many failed attempts. Try again in \(retryAfter) seconds.",
                headers: [.retryAfter: String(retryAfter)]
            )
        case .dpopProofRequired:
            return APIError(
                .badRequest,
                .invalidDPoPProof,
                "This token is bound to a DPoP key: send a DPoP proof made with it.",
                headers: [.wwwAuthenticate: #"DPoP error="invalid_dpop_proof", algs="ES256 EdDSA""#]
            )
        case .invalidClient(let basic):
            return APIError(
                .unauthorized,
                .invalidClient,
                "Client authentication failed.",
                headers: basic ? [.wwwAuthenticate: #"Basic realm="rotor""#] : [:]
            )
        case .insufficientScope:
            return APIError(
                .forbidden,
                .insufficientScope,
                "The access token lacks the scope this needs (openid).",
                headers: [.wwwAuthenticate: #"Bearer error="insufficient_scope", scope="openid""#]
            )
        case .unauthorizedClient:
            return APIError(.badRequest, .unauthorizedClient, "This client is not registered for this grant type.")
        case .grantRefused(.unauthorizedClient(let why)):
            return APIError(.badRequest, .unauthorizedClient, why)
        case .grantRefused(.invalidScope(let why)):
            return APIError(.badRequest, .invalidScope, why)
        case .grantRefused(.invalidTarget(let why)):
            return APIError(.badRequest, .invalidTarget, why)
        case .devicePoll(.pending):
            return APIError(.badRequest, .authorizationPending, "The person has not approved this device yet.")
        case .devicePoll(.slowDown(let interval)):
            return APIError(
                .badRequest,
                .slowDown,
                "Polled too fast: wait \(interval) seconds between polls from now on."
            )
        case .devicePoll(.denied):
            return APIError(.badRequest, .accessDenied, "The person denied this device.")
        case .devicePoll(.expired):
            return APIError(.badRequest, .expiredToken, "The device code has expired; start again.")
        case .invalidUserCode:
            return APIError.invalidRequest("The user code is not valid or has expired.")
        case .overloaded(let retryAfter):
            return APIError(
                .serviceUnavailable,
                .temporarilyUnavailable,
                "The server is busy checking passwords. Try again in \(retryAfter) seconds.",
                headers: [.retryAfter: String(retryAfter)]
            )
        }
    }

    static func http(_ error: HTTPError) -> APIError {
        http(status: error.status)
    }

    static func http(status: HTTPResponse.Status) -> APIError {
        switch status.code {
        // `context.requireIdentity()` on a request that sent no access token (a bad one is refused earlier, by the
        // authenticator): RFC 6750 §3.1's bare challenge.
        case 401: return .invalidToken(credentialsSent: false)
        case 404: return .notFound
        case 405: return APIError(.methodNotAllowed, .notFound, "This method is not allowed on this path.")
        case 413: return .payloadTooLarge
        case 415: return .unsupportedMediaType
        case 400..<500: return APIError(status, .invalidRequest, "The request is not valid.")
        default: return .fault
        }
    }
}
