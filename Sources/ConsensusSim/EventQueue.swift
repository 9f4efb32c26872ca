/// A binary min-heap ordered by (time, insertion order): events at the same
/// virtual millisecond run in the order they were scheduled, so a run is a
/// function of its seed alone.
///
/// The heap holds keys only; elements (which carry message bytes) sit in a side
/// table, so sifting moves three integers instead of retaining payloads.
struct EventQueue<Element> {
    private var heap: [(time: UInt64, order: UInt64, slot: Int)] = []
    private var elements: [Element?] = []
    private var free: [Int] = []
    private var counter: UInt64 = 0

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ element: Element, at time: UInt64) {
        counter += 1
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            elements[slot] = element
        } else {
            slot = elements.count
            elements.append(element)
        }
        heap.append((time, counter, slot))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (time: UInt64, element: Element)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && less(left, smallest) { smallest = left }
            if right < heap.count && less(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        let element = elements[top.slot]!
        elements[top.slot] = nil
        free.append(top.slot)
        return (top.time, element)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].time != heap[b].time ? heap[a].time < heap[b].time : heap[a].order < heap[b].order
    }
}
