import Synchronization

/// A value shared by a benchmark's concurrent tasks. `Mutex` and `Atomic` are
/// not copyable, so tasks capture them through a class reference.
final class Shared<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> R { mutex.withLock(body) }
}

/// Hands out 0, 1, 2, … to concurrent workers: the next pre-signed request.
final class TicketCounter: Sendable {
    let next = Atomic(0)
    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
