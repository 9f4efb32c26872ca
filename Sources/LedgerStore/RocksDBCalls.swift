import CRocksDB

/// Small adapters between Swift values and the RocksDB C API.
enum RocksDBCall {
    /// Runs a C call that reports failure through `char** errptr`, frees the
    /// message RocksDB allocated, and returns it.
    static func capturingError<Result>(
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> (result: Result, error: String?) {
        var error: UnsafeMutablePointer<CChar>? = nil
        let result = body(&error)
        guard let error else { return (result, nil) }
        let message = String(cString: error)
        rocksdb_free(error)
        return (result, message)
    }

    /// Like `capturingError` for calls whose only output is the error.
    static func check(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Void) throws(StoreError) {
        if let message = capturingError(body).error {
            throw .io(reason: message)
        }
    }

    /// Passes `bytes` as a C buffer. An empty array may have no storage; a
    /// valid dummy address is passed then so the C side never sees NULL.
    static func withBytes<Result>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>, Int) -> Result) -> Result {
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 {
                return body(base.assumingMemoryBound(to: CChar.self), raw.count)
            }
            var placeholder: CChar = 0
            return withUnsafePointer(to: &placeholder) { body($0, 0) }
        }
    }

    /// Copies bytes that RocksDB lends us (valid only until its next call).
    static func copy(_ pointer: UnsafePointer<CChar>?, count: Int, what: String) throws(StoreError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard let pointer else {
            throw .io(reason: "RocksDB returned no data for a \(what) of \(count) bytes")
        }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// A heap copy of `bytes` for options that keep a pointer (iterate bounds);
    /// the caller deallocates it after the last use of those options.
    static func retainedBuffer(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(bytes.count, 1), alignment: MemoryLayout<CChar>.alignment)
        bytes.withUnsafeBytes { source in
            if let base = buffer.baseAddress, let from = source.baseAddress, source.count > 0 {
                base.copyMemory(from: from, byteCount: source.count)
            }
        }
        return buffer
    }
}
