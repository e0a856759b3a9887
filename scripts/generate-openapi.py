#!/usr/bin/env python3
# Writes Sources/RotorAPI/OpenAPI/OpenAPIDocument.swift, the OpenAPI 3.1 document served at /openapi.json.
# Edit the description here, run `python3 scripts/generate-openapi.py`, and commit both files;
# OpenAPITests fails when the document and the router disagree.
import json
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("ErrorBody")}}}
def ok(desc, schema=None, ctype="application/json"):
    r = {"description": desc}
    if schema: r["content"] = {ctype: {"schema": schema}}
    return r
def jbody(name, required=True): return {"required": required, "content": {"application/json": {"schema": ref(name)}}}
def fbody(props, req): return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": props, "required": req}}}}
bearer = [{"accessToken": []}]
common = {"400": err("Malformed input; the description names the field."), "413": err("The body is over 64 KiB."), "415": err("The body is not JSON."), "500": err("A fault of the server; never with details.")}
def merge(*ds):
    out = {}
    for d in ds: out.update(d)
    return out
idparam = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
s = {"type":"string"}; i={"type":"integer"}; b={"type":"boolean"}
ts = {"type":"string","format":"date-time","description":"RFC 3339, UTC"}
nullable_s = {"type":["string","null"]}
dpopparam = {"name":"DPoP","in":"header","required":False,"schema":s,"description":"RFC 9449 proof: binds a new session to the key (login), or proves possession of the session's key (refresh). A bad proof is 400 invalid_dpop_proof."}
paths = {
 "/v1/users": {"post": {"operationId":"signUp","summary":"Create an account","tags":["accounts"],"requestBody":jbody("SignupRequest"),
   "responses": merge({"201": ok("The account.", ref("User")), "403": err("Sign-up is disabled."), "409": err("The email is in use.")}, common)}},
 "/v1/auth/login": {"post": {"operationId":"login","summary":"Log in: start a session (a DPoP proof binds it to the client's key)","tags":["sessions"],"requestBody":jbody("LoginRequest"),
   "parameters":[dpopparam],
   "responses": merge({"200": ok("The first token pair of a new session.", ref("TokenResponse")), "401": err("Unknown email or wrong password (invalid_credentials)."), "403": err("The account is disabled (account_disabled)."), "429": err("Too many failed logins (rate_limited); see Retry-After.")}, common)}},
 "/v1/auth/token/refresh": {"post": {"operationId":"refresh","summary":"Rotate a refresh token (from the body, or the rotor_refresh cookie with an allowed Origin)","tags":["sessions"],"requestBody":jbody("RefreshRequest", False),
   "parameters":[{"name":"X-Device-Id","in":"header","required":False,"schema":s},{"name":"rotor_refresh","in":"cookie","required":False,"schema":s},dpopparam],
   "responses": merge({"200": ok("A fresh access token and the session's current refresh token (in cookie mode only in Set-Cookie).", ref("TokenResponse")), "401": err("invalid_grant: unknown, expired, revoked, reused or bound elsewhere; the description says why."), "403": err("A cookie request from an Origin that is not allowed.")}, common)}},
 "/v1/auth/logout": {"post": {"operationId":"logout","summary":"End sessions (scope local, others or global)","tags":["sessions"],"requestBody":jbody("LogoutRequest", False),
   "security":[{},{"accessToken":[]}],"parameters":[{"name":"rotor_refresh","in":"cookie","required":False,"schema":s}],
   "responses": merge({"204": ok("Done (also for an unknown, used or revoked refresh token); in cookie mode the cookie is cleared."), "401": err("A bad access token."), "403": err("A cookie request from an Origin that is not allowed.")}, common)}},
 "/v1/me": {"get": {"operationId":"me","summary":"The caller's account","tags":["accounts"],"security":bearer,
   "responses": {"200": ok("The account.", ref("User")), "401": err("invalid_token."), "500": err("A fault.")}}},
 "/v1/me/password": {"post": {"operationId":"changePassword","summary":"Change the password; every session ends","tags":["accounts"],"security":bearer,"requestBody":jbody("PasswordChangeRequest"),
   "responses": merge({"200": ok("A token pair for a new session.", ref("TokenResponse")), "401": err("invalid_token, or invalid_credentials for a wrong current password.")}, common)}},
 "/v1/me/email": {"post": {"operationId":"changeEmail","summary":"Change the email address; every session ends","tags":["accounts"],"security":bearer,"requestBody":jbody("EmailChangeRequest"),
   "responses": merge({"200": ok("A token pair for a new session.", ref("TokenResponse")), "401": err("invalid_token or invalid_credentials."), "409": err("The email is in use.")}, common)}},
 "/v1/me/events": {"get": {"operationId":"events","summary":"The caller's security events, newest first","tags":["accounts"],"security":bearer,
   "responses": {"200": ok("Events.", ref("EventList")), "401": err("invalid_token."), "500": err("A fault.")}}},
 "/v1/me/apps": {"get": {"operationId":"apps","summary":"The apps the caller is signed in to or has allowed","tags":["accounts"],"security":bearer,
   "responses": {"200": ok("Apps, by name.", ref("AppList")), "401": err("invalid_token."), "500": err("A fault.")}}},
 "/v1/me/apps/{clientId}": {"delete": {"operationId":"withdrawApp","summary":"Sign out of one app and withdraw what it was allowed; the app hears of it by back-channel logout","tags":["accounts"],"security":bearer,
   "parameters":[{"name":"clientId","in":"path","required":True,"schema":s}],
   "responses": {"204": ok("Signed out and withdrawn."), "401": err("invalid_token."), "404": err("The caller has no sessions at that app and never allowed it."), "500": err("A fault.")}}},
 "/v1/revocations": {"get": {"operationId":"revocations","summary":"Sessions ended within the last access-token lifetime, as a JWT signed by the current key (typ revocations+jwt)","tags":["sessions"],
   "parameters":[{"name":"since","in":"query","required":False,"schema":i,"description":"seconds since 1970; older values are raised to the horizon"}],
   "responses": {"200": ok("A compact JWS whose claims are {iss, iat, since, horizon, revoked: [{sid, at}]}.", {"type":"string"}, "application/jwt"), "400": err("since is not whole seconds."), "500": err("A fault.")}}},
 "/v1/sessions": {"get": {"operationId":"listSessions","summary":"The caller's live sessions, newest first","tags":["sessions"],"security":bearer,
   "responses": {"200": ok("Sessions.", ref("SessionList")), "401": err("invalid_token."), "500": err("A fault.")}}},
 "/v1/sessions/{id}": {"delete": {"operationId":"revokeSession","summary":"End one of the caller's sessions","tags":["sessions"],"security":bearer,"parameters":idparam,
   "responses": {"204": ok("Ended."), "401": err("invalid_token."), "404": err("No such live session of the caller."), "500": err("A fault.")}}},
 "/v1/admin/users/{id}/disable": {"post": {"operationId":"disableUser","summary":"Disable a user; every session ends","tags":["admin"],"security":bearer,"parameters":idparam,
   "responses": {"204": ok("Disabled."), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such user."), "500": err("A fault.")}}},
 "/v1/admin/users/{id}/enable": {"post": {"operationId":"enableUser","summary":"Enable a user","tags":["admin"],"security":bearer,"parameters":idparam,
   "responses": {"204": ok("Enabled."), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such user."), "500": err("A fault.")}}},
 "/v1/admin/clients": {
   "post": {"operationId":"registerClient","summary":"Register a client (an app or a service); the answer holds its secret, shown this once","tags":["clients"],"security":bearer,"requestBody":jbody("ClientRegistrationRequest"),
     "responses": merge({"201": ok("The client information (RFC 7591 §3.2.1); Cache-Control: no-store.", ref("ClientInformation")), "401": err("invalid_token."), "403": err("The admin role is missing."), "409": err("The client id is taken (client_exists).")}, common)},
   "get": {"operationId":"listClients","summary":"Every registered client, without secrets","tags":["clients"],"security":bearer,
     "responses": {"200": ok("The clients, by id.", ref("ClientList")), "401": err("invalid_token."), "403": err("The admin role is missing."), "500": err("A fault.")}}},
 "/v1/admin/clients/{id}": {
   "get": {"operationId":"showClient","summary":"One client, without secrets","tags":["clients"],"security":bearer,"parameters":idparam,
     "responses": {"200": ok("The client information.", ref("ClientInformation")), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such client."), "500": err("A fault.")}},
   "delete": {"operationId":"deleteClient","summary":"Delete a client: it can no longer authenticate, sign anyone in or refresh","tags":["clients"],"security":bearer,"parameters":idparam,
     "responses": {"204": ok("Deleted."), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such client."), "500": err("A fault.")}}},
 "/v1/admin/clients/{id}/secret": {"post": {"operationId":"rotateClientSecret","summary":"A new secret; the old ones keep working for `overlap` seconds","tags":["clients"],"security":bearer,"parameters":idparam,"requestBody":jbody("ClientSecretRotationRequest", False),
   "responses": merge({"200": ok("The new secret, shown this once; Cache-Control: no-store.", ref("ClientSecretResponse")), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such client.")}, common)}},
 "/v1/admin/users/{id}/sessions": {"delete": {"operationId":"revokeUserSessions","summary":"End every session of a user","tags":["admin"],"security":bearer,"parameters":idparam,
   "responses": {"204": ok("Ended."), "401": err("invalid_token."), "403": err("The admin role is missing."), "404": err("No such user."), "500": err("A fault.")}}},
 "/oauth/token": {"post": {"operationId":"oauthToken","summary":"RFC 6749 token endpoint: the authorization-code grant (§4.1.3), the refresh grant (§6) and the client-credentials grant (§4.4); clients authenticate by their registered method (HTTP Basic, client_secret in the form, a private_key_jwt client_assertion, or client_id alone for public clients)","tags":["oauth"],
   "requestBody": fbody({"grant_type":{"type":"string","enum":["authorization_code","refresh_token","client_credentials","urn:ietf:params:oauth:grant-type:device_code"]},"refresh_token":s,"device_code":s,"code":s,"redirect_uri":s,"code_verifier":s,"client_id":s,"client_secret":s,"client_assertion_type":{"type":"string","enum":["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]},"client_assertion":{"type":"string","description":"RFC 7523 private_key_jwt: a JWT signed by a key of the client's JWKS, used once."},"scope":s,"resource":{"type":"string","description":"RFC 8707: an audience for the client_credentials token; may repeat."}},["grant_type"]),
   "parameters":[{"name":"X-Device-Id","in":"header","required":False,"schema":s},dpopparam],
   "responses": {"200": ok("Token response; id_token for the code grant with openid; an access token only for client_credentials.", {"oneOf":[ref("TokenResponse"), ref("MachineTokenResponse")]}), "400": err("RFC 6749 §5.2: invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, or invalid_target (RFC 8707); for the device grant (RFC 8628 §3.5) authorization_pending, slow_down, access_denied or expired_token."), "401": err("invalid_client (WWW-Authenticate: Basic when Basic was used)."), "413": err("Over 64 KiB."), "500": err("A fault.")}}},
 "/oauth/userinfo": {
   "get": {"operationId":"userInfo","summary":"OpenID Connect Core §5.3: the person behind an access token with scope openid, of any client","tags":["openid"],"security":bearer,
     "responses": {"200": ok("The claims.", ref("UserInfoResponse")), "401": err("invalid_token."), "403": err("insufficient_scope: no openid."), "500": err("A fault.")}},
   "post": {"operationId":"userInfoByPost","summary":"The same, by POST","tags":["openid"],"security":bearer,
     "responses": {"200": ok("The claims.", ref("UserInfoResponse")), "401": err("invalid_token."), "403": err("insufficient_scope: no openid."), "500": err("A fault.")}}},
 "/oauth/authorize": {
   "get": {"operationId":"authorize","summary":"OpenID Connect authorization endpoint (a browser page): a code at once while the SSO session lives, else the sign-in page","tags":["openid"],
     "parameters":[{"name":n,"in":"query","required":n in ("client_id","redirect_uri","response_type","code_challenge","code_challenge_method"),"schema":s} for n in ["client_id","redirect_uri","response_type","scope","state","nonce","code_challenge","code_challenge_method","prompt","max_age","login_hint","resource"]],
     "responses": {"200": ok("The sign-in page.", {"type":"string"}, "text/html"), "303": ok("To the registered redirect URI with code, state and iss, or error, state and iss."), "400": ok("An error page: the client or the redirect URI is not registered (never a redirect).", {"type":"string"}, "text/html")}},
   "post": {"operationId":"authorizeByForm","summary":"The same, form-encoded","tags":["openid"],
     "requestBody": fbody({"client_id":s,"redirect_uri":s,"response_type":s,"scope":s,"state":s,"nonce":s,"code_challenge":s,"code_challenge_method":s,"prompt":s,"max_age":s,"login_hint":s,"resource":s},["client_id","redirect_uri","response_type","code_challenge","code_challenge_method"]),
     "responses": {"200": ok("The sign-in page.", {"type":"string"}, "text/html"), "303": ok("To the registered redirect URI."), "400": ok("An error page.", {"type":"string"}, "text/html")}}},
 "/oauth/authorize/sign-in": {"post": {"operationId":"authorizeSignIn","summary":"The sign-in page's form: the authorization request, email, password and the CSRF token (also in a cookie)","tags":["openid"],
   "requestBody": fbody({"email":s,"password":s,"csrf_token":s,"client_id":s,"redirect_uri":s},["email","password","csrf_token","client_id","redirect_uri"]),
   "responses": {"303": ok("Signed in: the SSO cookie is set and the browser goes to the redirect URI with a code."), "400": ok("The page again, or an error page.", {"type":"string"}, "text/html"), "401": ok("The page again: wrong email or password.", {"type":"string"}, "text/html"), "403": ok("The page again: an expired form, another site's post, or a disabled account.", {"type":"string"}, "text/html"), "429": ok("The page again: too many attempts; Retry-After.", {"type":"string"}, "text/html")}}},
 "/oauth/device_authorization": {"post": {"operationId":"deviceAuthorization","summary":"RFC 8628 §3.1: a client starts a device authorization and gets a device code and a user code","tags":["oauth"],
   "requestBody": fbody({"client_id":s,"client_secret":s,"scope":s,"resource":s},[]),
   "responses": {"200": ok("The codes; Cache-Control: no-store.", ref("DeviceAuthorizationResponse")), "400": err("invalid_request, unauthorized_client, invalid_scope or invalid_target."), "401": err("invalid_client."), "413": err("Over 64 KiB."), "500": err("A fault.")}}},
 "/device": {
   "get": {"operationId":"devicePage","summary":"The device page (a browser page): the code entry for a signed-in person, else the sign-in page","tags":["openid"],
     "parameters":[{"name":"user_code","in":"query","required":False,"schema":s}],
     "responses": {"200": ok("The code entry or the sign-in page.", {"type":"string"}, "text/html")}},
   "post": {"operationId":"deviceCode","summary":"The code entry's form: the approval page for a code of a pending device (wrong codes count against the login limits)","tags":["openid"],
     "requestBody": fbody({"user_code":s,"csrf_token":s},["user_code","csrf_token"]),
     "responses": {"200": ok("The approval page.", {"type":"string"}, "text/html"), "400": ok("The entry page again: a wrong or expired code.", {"type":"string"}, "text/html"), "403": ok("An expired form or another site's post.", {"type":"string"}, "text/html"), "429": ok("Too many wrong codes or passwords; see Retry-After.", {"type":"string"}, "text/html")}}},
 "/device/sign-in": {"post": {"operationId":"deviceSignIn","summary":"The device page's sign-in form","tags":["openid"],
   "requestBody": fbody({"email":s,"password":s,"csrf_token":s,"user_code":s},["email","password","csrf_token"]),
   "responses": {"200": ok("Signed in: the code entry or the approval page; the SSO cookie is set.", {"type":"string"}, "text/html"), "400": ok("The page again.", {"type":"string"}, "text/html"), "401": ok("The page again: wrong email or password.", {"type":"string"}, "text/html"), "403": ok("The page again: an expired form, another site's post, or a disabled account.", {"type":"string"}, "text/html"), "429": ok("The page again: too many attempts.", {"type":"string"}, "text/html")}}},
 "/device/decision": {"post": {"operationId":"deviceDecision","summary":"The approval page's form: allow or deny the device","tags":["openid"],
   "requestBody": fbody({"user_code":s,"csrf_token":s,"decision":{"type":"string","enum":["allow","deny"]}},["user_code","csrf_token","decision"]),
   "responses": {"200": ok("Connected, or denied.", {"type":"string"}, "text/html"), "400": ok("A wrong code or no decision.", {"type":"string"}, "text/html"), "403": ok("An expired form.", {"type":"string"}, "text/html"), "410": ok("The code expired or was decided meanwhile.", {"type":"string"}, "text/html"), "429": ok("Too many wrong codes.", {"type":"string"}, "text/html")}}},
 "/oauth/revoke": {"post": {"operationId":"oauthRevoke","summary":"RFC 7009 revocation","tags":["oauth"],
   "requestBody": fbody({"token":s,"token_type_hint":s},["token"]),
   "responses": {"200": ok("Done, whatever the token."), "400": err("Not a well-formed request."), "413": err("Over 64 KiB."), "500": err("A fault.")}}},
 "/oauth/introspect": {"post": {"operationId":"oauthIntrospect","summary":"RFC 7662 introspection","tags":["oauth"],"security":[{"introspectionSecret":[]}],
   "requestBody": fbody({"token":s,"token_type_hint":s},["token"]),
   "responses": {"200": ok("Active with claims, or only {\"active\": false}.", ref("IntrospectionResponse")), "400": err("Not a well-formed request."), "401": err("invalid_client: the introspection secret is missing or wrong."), "413": err("Over 64 KiB."), "500": err("A fault.")}}},
 "/.well-known/oauth-authorization-server": {"get": {"operationId":"metadata","summary":"RFC 8414 metadata","tags":["discovery"],
   "responses": {"200": ok("Metadata.", ref("AuthorizationServerMetadata"))}}},
 "/oauth/authorize/consent": {"post": {"operationId":"authorizeConsent","summary":"The consent page's form: the authorization request, decision=allow|deny and the CSRF token; needs the SSO cookie","tags":["openid"],
   "requestBody": fbody({"decision":{"type":"string","enum":["allow","deny"]},"csrf_token":s,"client_id":s,"redirect_uri":s},["decision","csrf_token","client_id","redirect_uri"]),
   "responses": {"303": ok("Allowed: to the redirect URI with a code; denied: with error=access_denied."), "400": ok("An error page.", {"type":"string"}, "text/html"), "401": ok("The sign-in page: the SSO session has ended.", {"type":"string"}, "text/html"), "403": ok("An expired form or another site's post.", {"type":"string"}, "text/html")}}},
 "/oauth/logout": {
   "get": {"operationId":"endSession","summary":"RP-Initiated Logout 1.0 (a browser page): with a valid id_token_hint the SSO session and every session under it end at once; without, a confirmation page","tags":["openid"],
     "parameters":[{"name":n,"in":"query","required":False,"schema":s} for n in ["id_token_hint","post_logout_redirect_uri","state","client_id"]],
     "responses": {"200": ok("The confirmation page, or the signed-out page.", {"type":"string"}, "text/html"), "303": ok("To the registered post_logout_redirect_uri with state."), "400": ok("An error page: the URI is not registered for the app.", {"type":"string"}, "text/html")}},
   "post": {"operationId":"endSessionByForm","summary":"The same, form-encoded","tags":["openid"],
     "requestBody": fbody({"id_token_hint":s,"post_logout_redirect_uri":s,"state":s,"client_id":s},[]),
     "responses": {"200": ok("The confirmation page, or the signed-out page.", {"type":"string"}, "text/html"), "303": ok("To the registered post_logout_redirect_uri."), "400": ok("An error page.", {"type":"string"}, "text/html")}}},
 "/oauth/logout/confirm": {"post": {"operationId":"endSessionConfirm","summary":"The confirmation page's form: ends the browser's SSO session and every session under it","tags":["openid"],
   "requestBody": fbody({"csrf_token":s,"post_logout_redirect_uri":s,"state":s,"client_id":s},["csrf_token"]),
   "responses": {"200": ok("The signed-out page.", {"type":"string"}, "text/html"), "303": ok("To the registered post_logout_redirect_uri."), "400": ok("An error page.", {"type":"string"}, "text/html"), "403": ok("An expired form or another site's post; nothing ended.", {"type":"string"}, "text/html")}}},
 "/.well-known/openid-configuration": {"get": {"operationId":"openidConfiguration","summary":"OpenID Connect Discovery 1.0: the same document as the RFC 8414 metadata","tags":["discovery"],
   "responses": {"200": ok("Metadata.", ref("AuthorizationServerMetadata"))}}},
 "/.well-known/jwks.json": {"get": {"operationId":"jwks","summary":"The public signing keys","tags":["discovery"],
   "responses": {"200": ok("The JWK Set; Cache-Control: max-age.", ref("JWKSet"))}}},
 "/openapi.json": {"get": {"operationId":"openapi","summary":"This document","tags":["discovery"],
   "responses": {"200": ok("OpenAPI 3.1.", {"type":"object"})}}},
 "/healthz": {"get": {"operationId":"healthz","summary":"Liveness","tags":["operations"],"responses": {"200": ok("Alive.", ref("Health"))}}},
 "/readyz": {"get": {"operationId":"readyz","summary":"Readiness: the store answers","tags":["operations"],"responses": {"200": ok("Ready.", ref("Health")), "503": ok("The store is unreachable.", ref("Health"))}}},
 "/account": {"get": {"operationId":"accountPage","summary":"The account page: sign in (cookie mode), devices, password, security events","tags":["account"],
   "responses": {"200": ok("The page; strict Content-Security-Policy, no framing.", {"type":"string"}, "text/html")}}},
 "/account/app.js": {"get": {"operationId":"accountScript","summary":"The account page's script","tags":["account"],
   "responses": {"200": ok("JavaScript.", {"type":"string"}, "text/javascript")}}},
 "/account/style.css": {"get": {"operationId":"accountStyle","summary":"The account page's style sheet","tags":["account"],
   "responses": {"200": ok("CSS.", {"type":"string"}, "text/css")}}},
 "/metrics": {"get": {"operationId":"metrics","summary":"Prometheus metrics","tags":["operations"],"responses": {"200": ok("Prometheus text format 0.0.4.", {"type":"string"}, "text/plain")}}},
}
def obj(props, req): return {"type":"object","properties":props,"required":req}
schemas = {
 "ErrorBody": obj({"error":{"type":"string","enum":["invalid_request","invalid_credentials","invalid_grant","invalid_token","account_disabled","forbidden","not_found","email_taken","client_exists","payload_too_large","unsupported_media_type","rate_limited","server_error","temporarily_unavailable","unsupported_grant_type","insufficient_scope","unauthorized_client","invalid_client","invalid_dpop_proof","invalid_scope","invalid_target","authorization_pending","slow_down","access_denied","expired_token"]},"error_description":s},["error","error_description"]),
 "DeviceAuthorizationResponse": obj({"device_code":s,"user_code":s,"verification_uri":s,"verification_uri_complete":s,"expires_in":i,"interval":i},["device_code","user_code","verification_uri","verification_uri_complete","expires_in","interval"]),
 "MachineTokenResponse": obj({"access_token":s,"token_type":{"type":"string","enum":["Bearer"]},"expires_in":i,"scope":s},["access_token","token_type","expires_in","scope"]),
 "TokenResponse": obj({"access_token":s,"token_type":{"type":"string","enum":["Bearer","DPoP"]},"expires_in":i,"refresh_token":s,"refresh_token_expires_in":i,"session_id":s,"id_token":s,"scope":s},["access_token","token_type","expires_in","refresh_token_expires_in","session_id"]),
 "User": obj({"id":s,"email":{"type":"string","format":"email"},"created_at":ts,"roles":{"type":"array","items":s}},["id","email","created_at"]),
 "SignupRequest": obj({"email":s,"password":{"type":"string","description":"8 to 1024 bytes"}},["email","password"]),
 "LoginRequest": obj({"email":s,"password":s,"device_id":s,"device_name":s,"token_delivery":{"type":"string","enum":["body","cookie"],"description":"cookie: the refresh token is set only as the HttpOnly cookie rotor_refresh"}},["email","password"]),
 "RefreshRequest": obj({"refresh_token":s,"device_id":s},[]),
 "LogoutRequest": obj({"refresh_token":s,"scope":{"type":"string","enum":["local","others","global"]}},[]),
 "PasswordChangeRequest": obj({"current_password":s,"new_password":s,"token_delivery":{"type":"string","enum":["body","cookie"]}},["current_password","new_password"]),
 "EmailChangeRequest": obj({"password":s,"new_email":s,"token_delivery":{"type":"string","enum":["body","cookie"]}},["password","new_email"]),
 "SessionList": obj({"sessions":{"type":"array","items":obj({"id":s,"created_at":ts,"last_used_at":ts,"expires_at":ts,"device_name":nullable_s,"user_agent":nullable_s,"ip":nullable_s,"current":b,"client_id":s},["id","created_at","last_used_at","expires_at","current"])}},["sessions"]),
 "EventList": obj({"events":{"type":"array","items":obj({"type":s,"at":ts,"session_id":nullable_s,"ip":nullable_s,"user_agent":nullable_s,"cause":nullable_s},["type","at"])}},["events"]),
 "Health": obj({"status":{"type":"string","enum":["ok","unavailable"]}},["status"]),
 "IntrospectionResponse": obj({"active":b,"cnf":obj({"jkt":s},["jkt"]),"token_type":s,"scope":s,"client_id":s,"sub":s,"exp":i,"iat":i,"iss":s,"aud":{"type":"array","items":s},"jti":s,"sid":s,"roles":{"type":"array","items":s}},["active"]),
 "AuthorizationServerMetadata": obj({"issuer":s,"token_endpoint":s,"revocation_endpoint":s,"introspection_endpoint":s,"jwks_uri":s,"grant_types_supported":{"type":"array","items":s},"response_types_supported":{"type":"array","items":s},"token_endpoint_auth_methods_supported":{"type":"array","items":s},"revocation_endpoint_auth_methods_supported":{"type":"array","items":s},"introspection_endpoint_auth_methods_supported":{"type":"array","items":s},"scopes_supported":{"type":"array","items":s},"dpop_signing_alg_values_supported":{"type":"array","items":s},"rotor_revocation_feed_endpoint":s,"authorization_endpoint":s,"userinfo_endpoint":s,"subject_types_supported":{"type":"array","items":s},"id_token_signing_alg_values_supported":{"type":"array","items":s},"code_challenge_methods_supported":{"type":"array","items":s},"authorization_response_iss_parameter_supported":b,"claims_supported":{"type":"array","items":s},"response_modes_supported":{"type":"array","items":s},"end_session_endpoint":s,"backchannel_logout_supported":b,"backchannel_logout_session_supported":b,"device_authorization_endpoint":s,"token_endpoint_auth_signing_alg_values_supported":{"type":"array","items":s}},["issuer","token_endpoint","revocation_endpoint","introspection_endpoint","jwks_uri","grant_types_supported","response_types_supported","token_endpoint_auth_methods_supported","revocation_endpoint_auth_methods_supported","introspection_endpoint_auth_methods_supported","scopes_supported","dpop_signing_alg_values_supported"]),
 "AppList": obj({"apps":{"type":"array","items":obj({"client_id":s,"client_name":nullable_s,"first_party":b,"sessions":i,"last_used_at":nullable_s,"scopes":{"type":"array","items":s}},["client_id","first_party","sessions","scopes"])}},["apps"]),
 "UserInfoResponse": obj({"sub":s,"email":s,"email_verified":b},["sub"]),
 "ClientRegistrationRequest": obj({"client_id":{"type":"string","description":"1 to 64 of A-Z a-z 0-9 . _ ~ -; generated when absent"},"client_name":s,"redirect_uris":{"type":"array","items":s},"post_logout_redirect_uris":{"type":"array","items":s},"grant_types":{"type":"array","items":{"type":"string","enum":["authorization_code","refresh_token","client_credentials","urn:ietf:params:oauth:grant-type:device_code"]}},"token_endpoint_auth_method":{"type":"string","enum":["client_secret_basic","client_secret_post","private_key_jwt","none"]},"jwks_uri":s,"jwks":{"type":"object","description":"A JWK set"},"scope":{"type":"string","description":"space-separated"},"audience":s,"backchannel_logout_uri":s,"first_party":b,"id_token_signed_response_alg":{"type":"string","enum":["RS256","ES256","EdDSA"]}},[]),
 "ClientInformation": obj({"client_id":s,"client_secret":{"type":"string","description":"only in the answer that made it"},"client_id_issued_at":i,"client_secret_expires_at":{"type":"integer","description":"0: never on its own"},"client_name":s,"redirect_uris":{"type":"array","items":s},"post_logout_redirect_uris":{"type":"array","items":s},"grant_types":{"type":"array","items":s},"response_types":{"type":"array","items":s},"token_endpoint_auth_method":s,"jwks_uri":s,"jwks":{"type":"object"},"scope":s,"audience":s,"backchannel_logout_uri":s,"backchannel_logout_session_required":b,"first_party":b,"id_token_signed_response_alg":s},["client_id","client_id_issued_at","redirect_uris","post_logout_redirect_uris","grant_types","response_types","token_endpoint_auth_method","scope","backchannel_logout_session_required","first_party","id_token_signed_response_alg"]),
 "ClientList": obj({"clients":{"type":"array","items":ref("ClientInformation")}},["clients"]),
 "ClientSecretRotationRequest": obj({"overlap":{"type":"integer","description":"seconds the old secrets keep working, 0 to 2592000; default 0"}},[]),
 "ClientSecretResponse": obj({"client_id":s,"client_secret":s},["client_id","client_secret"]),
 "JWKSet": obj({"keys":{"type":"array","items":obj({"kty":s,"use":s,"alg":s,"kid":s,"crv":s,"x":s,"y":s,"n":s,"e":s},["kty","use","alg","kid"])}},["keys"]),
}
doc = {"openapi":"3.1.0","info":{"title":"Rotor","version":"1.0.0","description":"Rotor: short-lived JWT access tokens, rotating refresh tokens with reuse detection. Errors are always {\"error\", \"error_description\"}."},
 "servers":[{"url":"http://127.0.0.1:8080"}],
 "paths":paths,
 "components":{"schemas":schemas,"securitySchemes":{"accessToken":{"type":"http","scheme":"bearer","bearerFormat":"JWT"},"introspectionSecret":{"type":"http","scheme":"bearer","description":"ROTOR_INTROSPECTION_SECRET"}}}}
text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
import os, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# With a path argument it writes there instead (scripts/validate compares that with the committed file).
target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'Sources/RotorAPI/Resources/openapi.json')
open(target, 'w').write(text)
