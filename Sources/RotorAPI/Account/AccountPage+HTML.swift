extension AccountPage {
    /// The page itself: every part is in the markup, hidden until the script knows whether someone is signed in.
    /// No inline script or style (the Content-Security-Policy forbids both); text a person reads, in plain words.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Your account</title>
        <link rel="stylesheet" href="/account/style.css">
        <script src="/account/app.js" defer></script>
        </head>
        <body>
        <main>
          <header>
            <h1>Your account</h1>
            <p id="who" hidden></p>
          </header>
          <p id="notice" role="status" aria-live="polite" hidden></p>
          <p id="problem" role="alert" class="problem" hidden></p>

          <section id="signin" aria-labelledby="signin-title" hidden>
            <h2 id="signin-title">Sign in</h2>
            <form id="signin-form" novalidate>
              <label for="signin-email">Email</label>
              <input id="signin-email" name="email" type="email" autocomplete="username" required>
              <label for="signin-password">Password</label>
              <input id="signin-password" name="password" type="password" autocomplete="current-password" required>
              <label for="signin-device">Name for this device <span class="hint">(optional, shown in your device list)</span></label>
              <input id="signin-device" name="device_name" type="text" autocomplete="off" maxlength="200" placeholder="Work laptop">
              <button type="submit">Sign in</button>
            </form>
            <details id="signup">
              <summary>No account yet? Create one</summary>
              <form id="signup-form" novalidate>
                <label for="signup-email">Email</label>
                <input id="signup-email" name="email" type="email" autocomplete="username" required>
                <label for="signup-password">Password <span class="hint">(at least 8 characters)</span></label>
                <input id="signup-password" name="password" type="password" autocomplete="new-password" minlength="8" required>
                <button type="submit">Create account and sign in</button>
              </form>
            </details>
          </section>

          <section id="account" hidden>
            <section aria-labelledby="devices-title">
              <h2 id="devices-title">Your devices</h2>
              <p class="hint">Every device signed in to your account. Sign out any you do not recognise.</p>
              <ul id="devices" class="devices"></ul>
              <div class="actions">
                <button type="button" id="signout-this">Sign out of this device</button>
                <button type="button" id="signout-others">Sign out all other devices</button>
                <button type="button" id="signout-all" class="danger">Sign out everywhere</button>
              </div>
            </section>

            <section aria-labelledby="password-title">
              <h2 id="password-title">Change your password</h2>
              <p class="hint">Every other device is signed out; this one stays signed in.</p>
              <form id="password-form" novalidate>
                <input type="text" name="username" autocomplete="username" hidden>
                <label for="password-current">Current password</label>
                <input id="password-current" name="current_password" type="password" autocomplete="current-password" required>
                <label for="password-new">New password <span class="hint">(at least 8 characters)</span></label>
                <input id="password-new" name="new_password" type="password" autocomplete="new-password" minlength="8" required>
                <label for="password-repeat">New password again</label>
                <input id="password-repeat" name="repeat" type="password" autocomplete="new-password" required>
                <button type="submit">Change password</button>
              </form>
            </section>

            <section aria-labelledby="events-title">
              <h2 id="events-title">Recent security events</h2>
              <ol id="events" class="events"></ol>
            </section>
          </section>
        </main>
        </body>
        </html>
        """#
}
