import Synchronization

/// Runs a handler with a deadline that holds even when the work ignores
/// cancellation (a synchronous ledger scan, a backend that does not check
/// `Task.isCancelled`): the answer is `TIMEOUT` at the deadline, and the work,
/// cancelled, finishes in the background, bounded by the ledger's own caps.
///
/// A task group would not do: leaving the group waits for every child, so a
/// child that never looks at cancellation would hold the response back.
enum Deadline {
    static func run<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () async throws(APIError) -> T
    ) async throws(APIError) -> T {
        let race = Race<T>()
        let work = Task {
            do throws(APIError) { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
        }
        let timer = Task {
            // A cancelled sleep means the work already answered.
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            race.finish(.failure(.timeout(limit)))
        }
        let result = await withTaskCancellationHandler {
            await race.outcome()
        } onCancel: {
            // The client went away; nobody reads this answer.
            race.finish(.failure(.unavailable("the request was cancelled", retryAfterSeconds: 1)))
        }
        work.cancel()
        timer.cancel()
        return try result.get()
    }
}

/// The first of several finishers wins; the waiter is resumed exactly once.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, APIError>?
        var waiter: CheckedContinuation<Result<T, APIError>, Never>?
    }

    private let state = Mutex(State())

    func finish(_ result: Result<T, APIError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<T, APIError>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func outcome() async -> Result<T, APIError> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<T, APIError>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
