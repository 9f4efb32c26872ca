import Testing

@testable import CLISupport

@Suite struct ProcessArgumentsTests {
    @Test func splitsTheKernelsCmdlineIntoArguments() {
        let bytes = Array("civic-node\0run\0--config\0Nodes/node1/node.toml\0".utf8)
        #expect(ProcessArguments.split(cmdline: bytes) == ["civic-node", "run", "--config", "Nodes/node1/node.toml"])
    }

    @Test func keepsEmptyArgumentsAndSurvivesOddBytes() {
        #expect(ProcessArguments.split(cmdline: Array("a\0\0b\0".utf8)) == ["a", "", "b"])
        #expect(ProcessArguments.split(cmdline: []) == [])
        #expect(ProcessArguments.split(cmdline: [0xFF, 0]) == ["\u{FFFD}"])
        #expect(ProcessArguments.split(cmdline: Array("no-terminator".utf8)) == ["no-terminator"])
    }

    @Test func aNormalProcessUsesItsOwnArguments() {
        #expect(ProcessArguments.current == Array(CommandLine.arguments.dropFirst()))
    }
}
