public import Foundation

/// Apache httpd (Debian's `apache2`) started in the foreground with a configuration file, the way the relying-party
/// tests run mod_auth_openidc: its settings come from the environment (`${NAME}` in the file), it listens on the
/// ports the file names, and it is stopped with SIGKILL, workers and all.
public final class ApacheHTTPD: Sendable {
    /// Debian's binary.
    public static let executable = "/usr/sbin/apache2"

    /// Whether Apache and mod_auth_openidc are installed (`scripts/test` installs both).
    public static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: executable)
            && FileManager.default.fileExists(atPath: "/usr/lib/apache2/modules/mod_auth_openidc.so")
    }

    private let process: Process
    /// What it wrote to standard output and error before its own logs were open.
    public let consoleURL: URL

    /// Starts `apache2 -f configuration -DFOREGROUND` and waits (at most `timeout` seconds) until every one of
    /// `ports` on 127.0.0.1 accepts a connection.
    /// - Throws: When it exits or does not listen in time.
    public init(
        configuration: URL,
        environment: [String: String],
        ports: [Int],
        workingDirectory: URL,
        timeout: TimeInterval = 30
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        // As root (CI) the configuration runs its workers as www-data; anyone else keeps their own user.
        process.arguments = ["-f", configuration.path, "-DFOREGROUND"] + (getuid() == 0 ? [] : ["-DNOT_ROOT"])
        process.environment = environment.merging(["PATH": "/usr/sbin:/usr/bin:/bin"]) { current, _ in current }
        process.currentDirectoryURL = workingDirectory
        let consoleURL = workingDirectory.appendingPathComponent("apache-console.log")
        _ = FileManager.default.createFile(atPath: consoleURL.path, contents: nil)
        let console = try FileHandle(forWritingTo: consoleURL)
        process.standardOutput = console
        process.standardError = console
        try process.run()
        self.process = process
        self.consoleURL = consoleURL

        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline, !ports.allSatisfy(Self.accepts) { usleep(100_000) }
        guard process.isRunning, ports.allSatisfy(Self.accepts) else {
            if process.isRunning { process.terminate() }
            let printed = (try? String(contentsOf: consoleURL, encoding: .utf8)) ?? ""
            throw RotorProcessError.didNotStart("apache2 did not listen on \(ports): \(printed)")
        }
    }

    /// Kills Apache's workers and then Apache, and waits until it has exited.
    ///
    /// Not SIGTERM: a child started from a thread of the test process inherits that thread's signal mask, in which
    /// SIGTERM is blocked (the server's signal handling asks for it), so Apache would never see it.
    public func stop() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
