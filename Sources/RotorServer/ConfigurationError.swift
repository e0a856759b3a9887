/// A setting that cannot be used. Its description is the one line `rotor` prints before it stops.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable of the setting, e.g. `ROTOR_ACCESS_TTL`.
    public var variable: String
    /// The matching `rotor serve` flag, e.g. `--access-ttl`.
    public var flag: String
    /// What is wrong, in words.
    public var problem: String

    /// One line naming the setting and the problem.
    public var description: String { "invalid setting \(variable) (\(flag)): \(problem)" }
}
