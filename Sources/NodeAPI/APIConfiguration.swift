import Foundation

/// How the API listens and the limits it enforces. The defaults are the
/// documented ones (docs/openapi.yaml); tests shrink the timeouts and inject
/// the clock.
public struct APIConfiguration: Sendable {
    /// Bind address. Loopback by default: exposing the API is a deliberate act.
    public var host: String
    /// 0 picks a free port (tests); `makeAPIServer`'s `onServerRunning` reports it.
    public var port: Int
    /// Deadline of every handler, body read included.
    public var requestTimeout: Duration
    /// Longest `?wait=` a receipt request may ask for; longer asks are capped to it.
    public var maxReceiptWait: Duration
    /// `POST /v1/transactions`: one hex transaction (a 66 KB transaction is 132 KB of hex).
    public var maxTransactionBodyBytes: Int
    /// `POST /v1/transactions/batch`.
    public var maxBatchBodyBytes: Int
    public var maxBatchTransactions: Int
    /// Every other body (`POST /v1/verify`): a few ids and digests.
    public var maxQueryBodyBytes: Int
    /// `Retry-After` when the node answers that it is unavailable.
    public var unavailableRetryAfterSeconds: Int
    /// Signed requests: how far the request's timestamp may be from `clock()`.
    public var signedRequestSkewMillis: UInt64
    /// How many (key, nonce) pairs are remembered; see `NonceCache`.
    public var nonceCacheCapacity: Int
    /// Signed requests one key may make: so many a second on average, in bursts
    /// of up to `signedRequestBurst`; see `KeyRateLimiter`.
    public var signedRequestsPerSecond: Int
    public var signedRequestBurst: Int
    /// How many keys' budgets are tracked at once.
    public var rateLimitedKeys: Int
    /// The node's wall clock in Unix epoch milliseconds, for signed requests.
    public var clock: @Sendable () -> UInt64
    /// Sent as `Server:`; nil sends none.
    public var serverName: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        requestTimeout: Duration = .seconds(10),
        maxReceiptWait: Duration = .seconds(30),
        maxTransactionBodyBytes: Int = 256 * 1024,
        maxBatchBodyBytes: Int = 8 * 1024 * 1024,
        maxBatchTransactions: Int = 1_000,
        maxQueryBodyBytes: Int = 16 * 1024,
        unavailableRetryAfterSeconds: Int = 5,
        signedRequestSkewMillis: UInt64 = 5 * 60 * 1_000,
        nonceCacheCapacity: Int = 100_000,
        signedRequestsPerSecond: Int = 20,
        signedRequestBurst: Int = 40,
        rateLimitedKeys: Int = 10_000,
        clock: @escaping @Sendable () -> UInt64 = APIConfiguration.systemClockMillis,
        serverName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.requestTimeout = requestTimeout
        self.maxReceiptWait = maxReceiptWait
        self.maxTransactionBodyBytes = maxTransactionBodyBytes
        self.maxBatchBodyBytes = maxBatchBodyBytes
        self.maxBatchTransactions = maxBatchTransactions
        self.maxQueryBodyBytes = maxQueryBodyBytes
        self.unavailableRetryAfterSeconds = unavailableRetryAfterSeconds
        self.signedRequestSkewMillis = signedRequestSkewMillis
        self.nonceCacheCapacity = nonceCacheCapacity
        self.signedRequestsPerSecond = signedRequestsPerSecond
        self.signedRequestBurst = signedRequestBurst
        self.rateLimitedKeys = rateLimitedKeys
        self.clock = clock
        self.serverName = serverName
    }

    /// Wall-clock time, Unix epoch milliseconds.
    @Sendable public static func systemClockMillis() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1_000))
    }

    /// A nonce must be remembered for as long as a request carrying it could
    /// still pass the timestamp check: a timestamp up to `skew` ahead of the
    /// clock stays acceptable until `skew` after it, so twice the skew.
    var nonceMemoryMillis: UInt64 { signedRequestSkewMillis.multipliedReportingOverflow(by: 2).partialValue }

    /// The values a caller could set to nonsense, brought into range once so
    /// that no handler has to think about them.
    var sanitised: APIConfiguration {
        var copy = self
        copy.requestTimeout = max(requestTimeout, .milliseconds(1))
        copy.maxReceiptWait = max(maxReceiptWait, .zero)
        copy.maxTransactionBodyBytes = max(maxTransactionBodyBytes, 1)
        copy.maxBatchBodyBytes = max(maxBatchBodyBytes, 1)
        copy.maxBatchTransactions = max(maxBatchTransactions, 1)
        copy.maxQueryBodyBytes = max(maxQueryBodyBytes, 1)
        copy.unavailableRetryAfterSeconds = max(unavailableRetryAfterSeconds, 1)
        copy.signedRequestSkewMillis = min(signedRequestSkewMillis, UInt64(Int64.max) / 4)
        copy.nonceCacheCapacity = max(nonceCacheCapacity, 1)
        copy.signedRequestsPerSecond = max(signedRequestsPerSecond, 1)
        copy.signedRequestBurst = max(signedRequestBurst, 1)
        copy.rateLimitedKeys = max(rateLimitedKeys, 1)
        return copy
    }
}
