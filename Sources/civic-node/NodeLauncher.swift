import CLISupport
import Foundation
import Logging
import NodeRuntime
import ServiceLifecycle

enum NodeLauncher {
    static func load(_ path: String) throws -> NodeConfiguration {
        do { return try NodeConfigFile.load(path: path) } catch { throw CLIFailure.input("\(error)") }
    }

    static func run(_ configuration: NodeConfiguration) async throws {
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "civic-node")
        logger[metadataKey: "node"] = "\(configuration.name)"
        let node: CivicNode
        do { node = try CivicNode.open(configuration, logger: logger) } catch { throw CLIFailure.input("\(error)") }
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: node)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("stopped: \(error)")
            throw CLIFailure(message: "\(error)", exitCode: 1)
        }
    }
}
