import Benchmark
import Crypto
import Foundation
import RotorCore
import RotorJWT
import RotorVerifier

/// Rotor's in-process benchmarks: what one refresh, one signature, one verification and one password hash cost,
/// next to the floors they sit on (a raw P-256 signature check, SHA-256). HTTP figures come from `scripts/bench`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        maxDuration: .seconds(3),
        maxIterations: 200_000
    )

    // MARK: Refresh tokens

    Benchmark("refresh token: generate + SHA-256") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RefreshToken.generate().hash)
        }
    }

    Benchmark("refresh token: seal child (HKDF + AES-GCM)") { benchmark in
        let parent = RefreshToken.generate()
        let child = RefreshToken.generate()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try ChildTokenSeal.seal(child, parent: parent))
        }
    }

    // MARK: Access tokens

    for algorithm in [SigningAlgorithm.es256, .eddsa] {
        Benchmark("access token: sign \(algorithm.rawValue) (KeyRing, jwt-kit)") { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(try await fixture.keys.sign(fixture.claims))
            }
        } setup: {
            try await Fixture.make(algorithm: algorithm)
        }

        // A token never seen before: header rules, jwt-kit's signature check, claim rules. Each iteration takes the
        // next of 25,000 tokens signed in the setup, so that none is verified twice.
        Benchmark(
            "access token: verify \(algorithm.rawValue), first sight (header rules, jwt-kit, claims)",
            configuration: .init(maxDuration: .seconds(3), maxIterations: Fixture.freshTokenCount)
        ) { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(try await fixture.keys.verify(fixture.nextFreshToken(), rules: fixture.rules, now: fixture.now))
            }
        } setup: {
            try await Fixture.make(algorithm: algorithm, freshTokens: true)
        }

        // The same token again, as a client sends it for up to the access TTL: the verified-token cache answers.
        Benchmark("access token: verify \(algorithm.rawValue), seen before (verified-token cache)") { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                blackHole(try await fixture.keys.verify(fixture.token, rules: fixture.rules, now: fixture.now))
            }
        } setup: {
            try await Fixture.make(algorithm: algorithm)
        }
    }

    // RotorVerifier, as a resource service runs it (keys given as a JWKS document, no network in the measurement).
    Benchmark(
        "RotorVerifier: verify ES256, first sight",
        configuration: .init(maxDuration: .seconds(3), maxIterations: Fixture.freshTokenCount)
    ) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.verifier.verify(fixture.fixture.nextFreshToken(), now: fixture.fixture.now))
        }
    } setup: {
        try await VerifierFixture(try await Fixture.make(algorithm: .es256, freshTokens: true))
    }

    Benchmark("RotorVerifier: verify ES256, seen before (verified-token cache)") { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.verifier.verify(fixture.fixture.token, now: fixture.fixture.now))
        }
    } setup: {
        try await VerifierFixture(try await Fixture.make(algorithm: .es256))
    }

    Benchmark("access token: raw P-256 signature check (the floor of ES256 verify)") { benchmark, floor in
        for _ in benchmark.scaledIterations {
            blackHole(floor.key.isValidSignature(floor.signature, for: floor.message))
        }
    } setup: {
        try await P256Floor(try await Fixture.make(algorithm: .es256))
    }

    // The same check as a verifier must do it, from the token's bytes: the 64-byte r||s parsed, then checked.
    Benchmark("access token: raw P-256 signature check from the signature's bytes") { benchmark, floor in
        for _ in benchmark.scaledIterations {
            let signature = try P256.Signing.ECDSASignature(rawRepresentation: floor.rawSignature)
            blackHole(floor.key.isValidSignature(signature, for: floor.message))
        }
    } setup: {
        try await P256Floor(try await Fixture.make(algorithm: .es256))
    }

    // MARK: The engine on SQLite

    Benchmark(
        "engine: refresh on SQLite, one at a time (synchronous=FULL)",
        configuration: .init(maxDuration: .seconds(5), maxIterations: 20_000)
    ) { benchmark, chains in
        for _ in benchmark.scaledIterations {
            try await chains.refresh(index: 0)
        }
    } setup: {
        try await RefreshChains.make(count: 1)
    } teardown: {
        RefreshChains.removeFiles()
    }

    Benchmark(
        "engine: refresh on SQLite, 32 at once (group commit), per batch of 32",
        configuration: .init(maxDuration: .seconds(5), maxIterations: 2_000)
    ) { benchmark, chains in
        for _ in benchmark.scaledIterations {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<chains.count {
                    group.addTask { try await chains.refresh(index: index) }
                }
                try await group.waitForAll()
            }
        }
    } setup: {
        try await RefreshChains.make(count: 32)
    } teardown: {
        RefreshChains.removeFiles()
    }

    // MARK: Passwords

    Benchmark(
        "password: scrypt hash at the production setting (N=2^14, r=8, p=5)",
        configuration: .init(maxDuration: .seconds(5), maxIterations: 25)
    ) { benchmark, hasher in
        for _ in benchmark.scaledIterations {
            blackHole(try await hasher.hash("correct horse battery staple"))
        }
    } setup: {
        try PasswordHasher(parameters: .owasp)
    }
}
