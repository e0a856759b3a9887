extension AccountPage {
    /// One column that fits a phone, larger type for touch, visible keyboard focus, light and dark schemes.
    static let css = #"""
        :root { color-scheme: light dark; --accent: #2357c6; --danger: #b3261e; --line: #8884; --muted: #666;
                font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        @media (prefers-color-scheme: dark) { :root { --accent: #8fb0ff; --danger: #ff8a80; --muted: #aaa; } }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 1rem; }
        main { max-width: 40rem; margin: 0 auto; }
        h1 { font-size: 1.6rem; margin: .5rem 0; }
        h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
        #who, .hint { color: var(--muted); }
        .hint { font-size: .9rem; }
        form { display: grid; gap: .35rem; margin: .5rem 0 1rem; }
        label { font-weight: 600; margin-top: .4rem; }
        label .hint { font-weight: 400; }
        input { font: inherit; padding: .6rem .7rem; border: 1px solid var(--line); border-radius: .4rem; width: 100%; }
        button { font: inherit; padding: .6rem 1rem; border-radius: .4rem; border: 1px solid var(--accent);
                 background: var(--accent); color: #fff; cursor: pointer; min-height: 2.75rem; }
        button.secondary { background: transparent; color: var(--accent); }
        button.danger { border-color: var(--danger); background: var(--danger); }
        button:disabled { opacity: .6; cursor: progress; }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        form button { justify-self: start; margin-top: .6rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
        .problem { border-left: 4px solid var(--danger); padding: .5rem .75rem; background: #b3261e14; }
        #notice { border-left: 4px solid var(--accent); padding: .5rem .75rem; background: #2357c614; }
        .devices, .events { list-style: none; padding: 0; margin: 0; }
        .devices li { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; margin: .5rem 0;
                      display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; justify-content: space-between; }
        .devices .name { font-weight: 600; }
        .devices .detail { color: var(--muted); font-size: .9rem; word-break: break-word; }
        .badge { font-size: .8rem; font-weight: 600; border: 1px solid var(--accent); color: var(--accent);
                 border-radius: 1rem; padding: 0 .5rem; margin-left: .4rem; }
        .events li { border-bottom: 1px solid var(--line); padding: .5rem 0; }
        .events time, .events .detail { color: var(--muted); font-size: .9rem; }
        details summary { cursor: pointer; color: var(--accent); margin: .5rem 0; }
        """#
}
