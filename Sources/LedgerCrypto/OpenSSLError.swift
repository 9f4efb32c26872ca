import COpenSSL

enum OpenSSLError {
    /// Runs `body` with OpenSSL's thread-local error queue marked, and drops
    /// whatever it added afterwards, so our failures never surface in some
    /// other library's error report (swift-nio-ssl shares the queue) and theirs
    /// never in ours.
    static func scoped<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        ERR_set_mark()
        defer { ERR_pop_to_mark() }
        return try body()
    }

    /// Empties OpenSSL's thread-local error queue into one line.
    static func drain() -> String {
        var messages: [String] = []
        // The queue is bounded by OpenSSL (ERR_NUM_ERRORS); the cap is ours.
        for _ in 0..<16 {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }
}
