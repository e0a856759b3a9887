import Foundation

extension TestBrowser {
    /// A person approving (or denying) a device on `/device`, as in a browser: signs in on the page first if it
    /// asks, types the code, checks the approval page names `app`, and decides.
    /// - Returns: The decision's answer (the "Device connected" or "Device not connected" page).
    /// - Throws: ``UnexpectedAnswer`` when the approval page does not come.
    public func decideDevice(
        userCode: String,
        email: String,
        password: String,
        app: String,
        allow: Bool = true
    ) async throws -> HTTPAnswer {
        var page = try await send(.GET, "/device?user_code=\(userCode)")
        if page.text.contains(#"action="/device/sign-in""#) {
            page = try await send(
                .POST,
                "/device/sign-in",
                form: Self.hiddenFields(page.text) + [("email", email), ("password", password)]
            )
        } else {
            page = try await send(.POST, "/device", form: Self.hiddenFields(page.text) + [("user_code", userCode)])
        }
        guard page.status == 200, page.text.contains(app) else {
            throw UnexpectedAnswer(wanted: "the approval page for \(app)", status: page.status, body: page.text)
        }
        return try await send(
            .POST,
            "/device/decision",
            form: Self.hiddenFields(page.text) + [("decision", allow ? "allow" : "deny")]
        )
    }
}
