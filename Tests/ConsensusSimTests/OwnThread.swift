import Foundation

/// Runs CPU-bound simulation work on a thread of its own and waits for it.
///
/// Swift Testing runs test bodies on the cooperative pool, which has one thread
/// per core: two on the CI machine. A seed sweep that computes for minutes on
/// those threads starves every other test's tasks for as long, and their
/// wall-clock hang guards then fire although nothing hung (CI saw every test
/// report 300 s and a peer-network test time out). A plain thread is
/// preempted by the kernel like any other, so the sweep shares the cores
/// instead of owning the pool.
///
/// One such thread computes at a time: the twelve parameterised sweeps would
/// otherwise take twelve threads' share of two cores from everything else.
///
/// `work` runs outside the test's task, where `#expect` cannot report: it
/// returns what the test should check, and the test checks it after.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            SimulationThreads.slot.wait()
            let result = work()
            SimulationThreads.slot.signal()
            continuation.resume(returning: result)
        }
        // The simulator recurses through message handlers; give it the main thread's room.
        thread.stackSize = 8 << 20
        thread.start()
    }
}

enum SimulationThreads {
    /// Blocks only the simulation threads waiting for their turn, never a task of the pool.
    static let slot = DispatchSemaphore(value: 1)
}
