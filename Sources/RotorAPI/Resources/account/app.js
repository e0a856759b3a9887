"use strict";
(() => {
  let accessToken = null;
  let refreshing = null;
  let renewal = null;
  const $ = (id) => document.getElementById(id);

  const words = {
    invalid_credentials: "That email and password do not match an account.",
    account_disabled: "This account has been disabled. Contact your administrator.",
    email_taken: "An account with this email already exists. Try signing in instead.",
    rate_limited: "Too many attempts. Please wait a moment and try again.",
    forbidden: "This page is not allowed to do that from here.",
    invalid_grant: "You have been signed out. Please sign in again.",
    invalid_token: "You have been signed out. Please sign in again.",
    not_found: "That device is no longer signed in.",
    server_error: "Something went wrong on our side. Please try again.",
  };

  class Problem extends Error {
    constructor(code, description, retryAfter) {
      super(description || code);
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function say(text) {
    const notice = $("notice");
    notice.textContent = text;
    notice.hidden = !text;
    $("problem").hidden = true;
  }

  function complain(error) {
    let text = "Rotor could not be reached. Check your connection and try again.";
    if (error instanceof Problem) {
      if (error.code === "invalid_request") {
        text = /password/.test(error.message) ? "The password must be 8 to 1024 characters long."
          : /email/.test(error.message) ? "Please enter a valid email address."
          : "Please check what you entered.";
      } else if (error.code === "rate_limited" && error.retryAfter) {
        text = `Too many attempts. Please try again in ${error.retryAfter} seconds.`;
      } else {
        text = words[error.code] || text;
      }
    }
    const problem = $("problem");
    problem.textContent = text;
    problem.hidden = false;
    $("notice").hidden = true;
  }

  async function call(method, path, body) {
    const headers = {};
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      throw new Problem((data && data.error) || "server_error", data && data.error_description,
                        response.headers.get("Retry-After"));
    }
    return data;
  }

  // One refresh at a time, whoever asks.
  function refresh() {
    if (!refreshing) {
      refreshing = call("POST", "/v1/auth/token/refresh")
        .then((tokens) => { keep(tokens); return true; })
        .catch((error) => { accessToken = null; throw error; })
        .finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  // Holds a fresh access token, and renews it a minute before it runs out.
  function keep(tokens) {
    accessToken = tokens.access_token;
    clearTimeout(renewal);
    const seconds = Math.max(5, (tokens.expires_in || 900) - 60);
    renewal = setTimeout(() => refresh().catch(() => showSignIn()), seconds * 1000);
  }

  // A protected call; a 401 refreshes once and tries again.
  async function api(method, path, body) {
    try {
      return await call(method, path, body);
    } catch (error) {
      if (!(error instanceof Problem) || error.code !== "invalid_token") throw error;
      await refresh();
      return call(method, path, body);
    }
  }

  const labels = {
    login: "Signed in", login_failed: "Failed sign-in attempt", logout: "Signed out",
    session_revoked: "Device signed out", session_expired: "Session expired",
    refresh_token_reuse: "A stolen or replayed token was detected; that device was signed out",
    refresh_binding_mismatch: "A token was used from another device and refused",
    password_changed: "Password changed", email_changed: "Email address changed",
    user_disabled: "Account disabled", user_enabled: "Account enabled", rate_limited: "Sign-in blocked for a while",
  };
  const causes = {
    logout: "signed out", others: "signed out from another device", global: "signed out everywhere",
    local: "this device", admin: "by an administrator", password_change: "after a password change",
    email_change: "after an email change", user_disabled: "account disabled", evicted: "too many devices",
    reuse_detected: "token reuse detected", idle_timeout: "not used for a long time",
    absolute_timeout: "session too old", minted: "created by an administrator",
    consent_withdrawn: "access to an app withdrawn", sso: "at every app", authorization_code: "to an app",
  };

  function when(text) {
    const date = new Date(text);
    return isNaN(date) ? text : date.toLocaleString();
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function browserName(agent) {
    if (!agent) return "Unknown browser";
    const known = [["Edg/", "Edge"], ["Chrome/", "Chrome"], ["Firefox/", "Firefox"], ["Safari/", "Safari"],
                   ["curl/", "curl"]];
    const name = (known.find(([key]) => agent.includes(key)) || [null, agent.split(" ")[0]])[1];
    const os = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS"
      : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
    return os ? `${name} on ${os}` : name;
  }

  async function showDevices() {
    const { sessions } = await api("GET", "/v1/sessions");
    const list = $("devices");
    list.replaceChildren();
    // An app's sessions are listed under "Your apps"; devices are this page's and the JSON API's own.
    for (const session of sessions.filter((s) => !s.client_id || s.client_id === "rotor")) {
      const item = element("li");
      item.dataset.session = session.id;
      if (session.current) item.dataset.current = "true";
      const about = element("div");
      const name = element("div", "name", session.device_name || browserName(session.user_agent));
      if (session.current) name.append(element("span", "badge", "This device"));
      about.append(name);
      about.append(element("div", "detail", `${browserName(session.user_agent)} · ${session.ip || "unknown address"}`));
      about.append(element("div", "detail", `Last used ${when(session.last_used_at)} · signed in ${when(session.created_at)}`));
      item.append(about);
      if (!session.current) {
        const button = element("button", "secondary", "Sign out");
        button.type = "button";
        button.setAttribute("aria-label", `Sign out ${session.device_name || browserName(session.user_agent)}`);
        button.addEventListener("click", () => busy(button, async () => {
          await api("DELETE", `/v1/sessions/${encodeURIComponent(session.id)}`);
          say("That device has been signed out.");
          await showDevices();
          await showEvents();
        }));
        item.append(button);
      }
      list.append(item);
    }
  }

  async function showApps() {
    const { apps } = await api("GET", "/v1/me/apps");
    const list = $("apps");
    list.replaceChildren();
    for (const app of apps) {
      const item = element("li");
      item.dataset.app = app.client_id;
      const about = element("div");
      const name = app.client_name || app.client_id;
      about.append(element("div", "name", name));
      const signedIn = app.sessions === 1 ? "Signed in once" : app.sessions > 1 ? `Signed in ${app.sessions} times` : "Not signed in";
      const used = app.last_used_at ? ` · last used ${when(app.last_used_at)}` : "";
      about.append(element("div", "detail", signedIn + used));
      if (app.scopes.length) about.append(element("div", "detail", `Allowed: ${app.scopes.join(", ")}`));
      item.append(about);
      const button = element("button", "secondary", "Sign out");
      button.type = "button";
      button.setAttribute("aria-label", `Sign out of ${name}`);
      button.addEventListener("click", () => busy(button, async () => {
        await api("DELETE", `/v1/me/apps/${encodeURIComponent(app.client_id)}`);
        say(`You are signed out of ${name}.`);
        await showApps();
        await showDevices();
        await showEvents();
      }));
      item.append(button);
      list.append(item);
    }
    if (!apps.length) list.append(element("li", "detail", "No apps yet."));
  }

  async function showEvents() {
    const { events } = await api("GET", "/v1/me/events");
    const list = $("events");
    list.replaceChildren();
    for (const event of events.slice(0, 20)) {
      const item = element("li");
      const cause = event.cause && causes[event.cause] ? ` (${causes[event.cause]})` : "";
      item.append(element("div", "name", (labels[event.type] || event.type) + cause));
      const time = element("time", null, when(event.at));
      time.dateTime = event.at;
      item.append(time);
      item.append(element("div", "detail", `${browserName(event.user_agent)} · ${event.ip || "unknown address"}`));
      list.append(item);
    }
    if (!events.length) list.append(element("li", "detail", "Nothing yet."));
  }

  async function showAccount() {
    const me = await api("GET", "/v1/me");
    $("who").textContent = `Signed in as ${me.email}`;
    $("who").hidden = false;
    $("signin").hidden = true;
    $("account").hidden = false;
    await showDevices();
    await showApps();
    await showEvents();
  }

  function showSignIn() {
    accessToken = null;
    clearTimeout(renewal);
    $("who").hidden = true;
    $("account").hidden = true;
    $("signin").hidden = false;
    $("signin-email").focus();
  }

  async function busy(button, work) {
    button.disabled = true;
    try { await work(); } catch (error) {
      complain(error);
      if (error instanceof Problem && (error.code === "invalid_grant" || error.code === "invalid_token")) showSignIn();
    } finally { button.disabled = false; }
  }

  function fields(form) {
    return Object.fromEntries(new FormData(form).entries());
  }

  async function signIn(email, password, deviceName) {
    const body = { email, password, token_delivery: "cookie" };
    if (deviceName) body.device_name = deviceName;
    keep(await call("POST", "/v1/auth/login", body));
  }

  async function signOut(scope) {
    await call("POST", "/v1/auth/logout", { scope });
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("signin-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      busy(form.querySelector("button"), async () => {
        const { email, password, device_name } = fields(form);
        await signIn(email.trim(), password, device_name.trim());
        form.reset();
        say("You are signed in.");
        await showAccount();
      });
    });
    $("signup-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      busy(form.querySelector("button"), async () => {
        const { email, password } = fields(form);
        await call("POST", "/v1/users", { email: email.trim(), password });
        await signIn(email.trim(), password, "");
        form.reset();
        say("Your account is ready and you are signed in.");
        await showAccount();
      });
    });
    $("signout-this").addEventListener("click", (event) => busy(event.target, async () => {
      await signOut("local");
      showSignIn();
      say("You are signed out of this device.");
    }));
    $("signout-others").addEventListener("click", (event) => busy(event.target, async () => {
      await signOut("others");
      say("Every other device has been signed out.");
      await showDevices();
      await showEvents();
    }));
    $("signout-all").addEventListener("click", (event) => busy(event.target, async () => {
      await signOut("global");
      showSignIn();
      say("You are signed out everywhere.");
    }));
    $("password-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      busy(form.querySelector("button[type=submit]"), async () => {
        const { current_password, new_password, repeat } = fields(form);
        if (new_password !== repeat) {
          complain(new Problem("mismatch"));
          $("problem").textContent = "The two new passwords are not the same.";
          return;
        }
        keep(await api("POST", "/v1/me/password", { current_password, new_password, token_delivery: "cookie" }));
        form.reset();
        say("Your password has been changed. Every other device has been signed out.");
        await showDevices();
        await showEvents();
      });
    });
    refresh().then(showAccount).catch((error) => {
      showSignIn();
      if (error instanceof Problem && error.code !== "invalid_request" && error.code !== "invalid_grant") complain(error);
    });
  });
})();
