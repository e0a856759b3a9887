public import Foundation

/// The built `rotor` executable, run as a child process the way an operator runs it.
public final class RotorProcess: Sendable {
    /// Where `swift build` put the executable: next to the test bundle, or `ROTOR_BINARY`.
    public static var executable: URL {
        if let explicit = ProcessInfo.processInfo.environment["ROTOR_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rotor"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/rotor"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    private let process: Process
    /// The port it listens on.
    public let port: Int
    /// What it wrote to standard error (read after it ended).
    public let stderrURL: URL

    /// Starts `rotor serve` with `environment` and waits until it listens (at most `timeout` seconds).
    /// - Throws: When it exits or does not listen in time.
    public init(
        arguments: [String] = ["serve"],
        environment: [String: String],
        workingDirectory: URL,
        timeout: TimeInterval = 60
    ) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        process.currentDirectoryURL = workingDirectory
        let stdoutPipe = Pipe()
        process.standardOutput = stdoutPipe
        let stderrURL = workingDirectory.appendingPathComponent("rotor-stderr-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        self.process = process
        self.stderrURL = stderrURL

        // The server prints "rotor listening on http://HOST:PORT" once it accepts connections.
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = Data()
        let reader = stdoutPipe.fileHandleForReading
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: "rotor listening on http://") {
                let rest = text[range.upperBound...]
                if let line = rest.split(separator: "\n").first, rest.contains("\n"),
                    let port = line.split(separator: ":").last.flatMap({ Int($0) })
                {
                    found = port
                }
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw RotorProcessError.didNotStart(String(decoding: buffer, as: UTF8.self))
        }
        self.port = found
    }

    /// Sends SIGKILL: no graceful shutdown, no chance to flush anything.
    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Runs `rotor` to completion and returns its exit code, standard output and standard error.
    public static func runToEnd(
        arguments: [String],
        environment: [String: String] = [:],
        workingDirectory: URL,
        input: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        process.currentDirectoryURL = workingDirectory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }
}

extension RotorProcess {
    /// Runs any program to completion (killed after `timeout` seconds) and returns its exit code and output.
    public static func runProgram(
        _ path: String,
        arguments: [String],
        environment: [String: String]? = nil,
        workingDirectory: URL,
        timeout: TimeInterval
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = workingDirectory
        // Files rather than pipes: a chatty child can never block on a full pipe while we wait for it.
        let out = workingDirectory.appendingPathComponent("program-\(UUID().uuidString).out")
        let err = workingDirectory.appendingPathComponent("program-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return (process.terminationStatus, read(out), read(err))
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago, for a server that must know its port before it starts.
public enum FreePort {
    /// Binds port 0, reads the port the system chose, and closes the socket.
    public static func find() throws -> Int {
        try find(count: 1)[0]
    }

    /// `count` different ports: each socket stays bound until all are chosen, since a port closed at once may be
    /// handed out again by the next call (two of Apache's `Listen` lines once got the same port).
    public static func find(count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        return try (0..<count).map { _ in
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw RotorProcessError.didNotStart("no socket") }
            sockets.append(socket)
            return try bound(socket)
        }
    }

    private static func bound(_ socket: Int32) throws -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw RotorProcessError.didNotStart("cannot bind a port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why a child `rotor` could not be used.
public enum RotorProcessError: Error, CustomStringConvertible {
    /// It exited or did not print its listening line; what it printed.
    case didNotStart(String)

    /// The failure in words.
    public var description: String {
        switch self {
        case .didNotStart(let output): "rotor serve did not start: \(output)"
        }
    }
}
