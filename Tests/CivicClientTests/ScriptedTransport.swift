import CivicClient
import Foundation
import Synchronization

/// Answers each request from a script and records what was sent: the
/// client's logic (paths, headers, status handling, retries) without a node.
final class ScriptedTransport: HTTPTransport {
    typealias Answer = @Sendable (HTTPRequestParts) throws(ClientError) -> HTTPResponseParts

    private let answer: Answer
    private let log = Mutex<[HTTPRequestParts]>([])

    init(_ answer: @escaping Answer) { self.answer = answer }

    var sent: [HTTPRequestParts] { log.withLock { $0 } }

    func send(_ request: HTTPRequestParts) async throws(ClientError) -> HTTPResponseParts {
        log.withLock { $0.append(request) }
        return try answer(request)
    }
}

func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> HTTPResponseParts {
    HTTPResponseParts(status: status, headers: headers.merging(["content-type": "application/json"]) { $1 }, body: Data(text.utf8))
}

let statusJSON = """
    {"nodeName":"node1","replica":0,"chainID":"civic-devnet","suite":"standard","height":10,"blockHash":"aa",
     "stateRoot":"bb","blockTimeMillis":1000,"view":0,"primary":0,"changingView":false,"connectedPeers":[1,2,3],"mempoolSize":0}
    """
