import Foundation
import RotorProtocol
import Testing

/// Every wire type of `RotorProtocol` agrees with its schema in the OpenAPI document: the same fields, the same
/// required ones, the same JSON types. The document is written by hand (scripts/generate-openapi.py), the types in
/// Swift: this is what keeps the two from drifting.
@Suite("Wire types match their OpenAPI schemas")
struct SchemaConformanceTests {
    /// A decodable and encodable wire type, erased.
    struct WireType: Sendable, CustomTestStringConvertible {
        let schema: String
        let decode: @Sendable (Data) throws -> Data
        var testDescription: String { schema }

        init<T: Codable>(_ schema: String, _ type: T.Type) {
            self.schema = schema
            self.decode = { data in try JSONEncoder().encode(try JSONDecoder().decode(T.self, from: data)) }
        }
    }

    static let types: [WireType] = [
        WireType("TokenResponse", TokenResponse.self), WireType("ErrorBody", ErrorBody.self),
        WireType("MachineTokenResponse", MachineTokenResponse.self),
        WireType("DeviceAuthorizationResponse", DeviceAuthorizationResponse.self),
        WireType("User", UserResponse.self), WireType("Health", HealthResponse.self),
        WireType("SessionList", SessionList.self), WireType("EventList", EventList.self),
        WireType("IntrospectionResponse", IntrospectionResponse.self),
        WireType("AuthorizationServerMetadata", AuthorizationServerMetadata.self),
        WireType("SignupRequest", SignupRequest.self), WireType("LoginRequest", LoginRequest.self),
        WireType("RefreshRequest", RefreshRequest.self), WireType("LogoutRequest", LogoutRequest.self),
        WireType("PasswordChangeRequest", PasswordChangeRequest.self),
        WireType("EmailChangeRequest", EmailChangeRequest.self),
        WireType("ClientRegistrationRequest", ClientRegistrationRequest.self),
        WireType("ClientInformation", ClientInformation.self), WireType("ClientList", ClientList.self),
        WireType("ClientSecretRotationRequest", ClientSecretRotationRequest.self),
        WireType("ClientSecretResponse", ClientSecretResponse.self),
        WireType("UserInfoResponse", UserInfoResponse.self), WireType("AppList", AppList.self),
    ]

    /// The document's schemas, read from the source tree (the file compiled into the binary).
    static var schemas: [String: [String: Any]] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/RotorAPI/Resources/openapi.json"
        )
        let document = (try? JSONSerialization.jsonObject(with: Data(contentsOf: file))) as? [String: Any]
        return (document?["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] ?? [:]
    }

    /// A value of the schema's type, every property filled in.
    static func sample(_ schema: [String: Any]) -> Any {
        if let reference = schema["$ref"] as? String, let name = reference.split(separator: "/").last {
            return sample(Self.schemas[String(name)] ?? [:])
        }
        switch schema["type"] as? String {
        case "object":
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            return properties.mapValues { sample($0) }
        case "array": return [sample(schema["items"] as? [String: Any] ?? [:])]
        case "integer": return 7
        case "boolean": return true
        default:
            if let values = schema["enum"] as? [Any], let first = values.first { return first }
            return "x"
        }
    }

    @Test("fields, required fields and types agree", arguments: types)
    func agrees(_ type: WireType) throws {
        let schema = try #require(Self.schemas[type.schema], "no schema \(type.schema)")
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        let required = Set(schema["required"] as? [String] ?? [])
        let full = try #require(Self.sample(schema) as? [String: Any])
        // Every documented field decodes with its documented type, and comes back out: nothing undocumented.
        let encoded = try type.decode(JSONSerialization.data(withJSONObject: full))
        let keys = Set((try JSONSerialization.jsonObject(with: encoded) as? [String: Any] ?? [:]).keys)
        #expect(keys == properties, "encoded \(keys.sorted()), documented \(properties.sorted())")
        // A required field is required by the type too; an optional one is not.
        for field in properties.sorted() {
            var without = full
            without[field] = nil
            let decoded = (try? type.decode(JSONSerialization.data(withJSONObject: without))) != nil
            #expect(decoded == !required.contains(field), "\(type.schema).\(field): decodes without it: \(decoded)")
        }
    }

    @Test("every schema of a wire type is checked")
    func coverage() {
        let checked = Set(Self.types.map(\.schema))
        // JWKSet is jwt-kit's JWKS, written by Rotor's key ring rather than a RotorProtocol type.
        let unchecked = Set(Self.schemas.keys).subtracting(checked).subtracting(["JWKSet"])
        #expect(unchecked.isEmpty, "schemas no test holds to a type: \(unchecked.sorted())")
    }
}
