import HTTPTypes
import RotorAPI
import Testing

/// `HTTPFields.value(_:)` replaces HTTPTypes' getter on the request path for speed; it must give the same string.
@Suite("Header lookup")
struct HeaderLookupTests {
    static let cases: [HTTPFields] = [
        [:],
        [.authorization: "Basic bWFjaGluZTpz"],
        [.contentType: "application/x-www-form-urlencoded", .authorization: "Bearer a"],
        HTTPFields([
            HTTPField(name: .authorization, value: "Basic one"), HTTPField(name: .accept, value: "*/*"),
            HTTPField(name: .authorization, value: "Basic two"),
        ]),
        HTTPFields([HTTPField(name: .cookie, value: "a=1"), HTTPField(name: .cookie, value: "b=2")]),
        HTTPFields([HTTPField(name: HTTPField.Name("AUTHORIZATION")!, value: "Basic upper")]),
    ]

    @Test(
        "value(_:) is the subscript's string, for none, one and several fields, cookies and any case",
        arguments: cases
    )
    func sameAsSubscript(_ fields: HTTPFields) {
        for name in [HTTPField.Name.authorization, .contentType, .cookie, .accept, .origin] {
            #expect(fields.value(name) == fields[name], "\(name)")
            #expect(fields.has(name) == (fields[name] != nil), "\(name)")
        }
    }
}
