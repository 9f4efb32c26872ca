import FuzzTargets
import Foundation

// Two builds of one program (see tools/fuzz/run):
// - with -DFUZZING and -sanitize=fuzzer, libFuzzer drives the target named by
//   CIVIC_FUZZ_TARGET;
// - in a normal build, `civic-fuzz replay TARGET FILE…` runs saved inputs (the
//   corpus, a crash) through a target, and `civic-fuzz seed DIR` writes the
//   seed inputs.

func complain(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

#if FUZZING
// The callback is a C function pointer, which cannot capture the target, and
// libFuzzer calls it from its one thread: set once before the driver starts.
nonisolated(unsafe) var selected: FuzzTarget = .transaction

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

// SwiftPM links an executable's entry point as `<product>_main`; libFuzzer's
// own `main` would clash, so its driver is started from here.
@_cdecl("civic_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["CIVIC_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        complain("civic-fuzz: set CIVIC_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        return 2
    }
    selected = target
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in
        selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
@main
struct CivicFuzz {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        switch arguments.first {
        case "replay":
            guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[arguments.startIndex + 1]) else {
                complain("usage: civic-fuzz replay TARGET FILE…   (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")))")
                exit(2)
            }
            for path in arguments.dropFirst(2) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    complain("civic-fuzz: cannot read \(path)")
                    exit(2)
                }
                target.run(Array(data))
            }
            print("replayed \(arguments.count - 2) input(s) through \(target.rawValue): no crash")
        case "seed":
            guard arguments.count == 2 else {
                complain("usage: civic-fuzz seed DIR")
                exit(2)
            }
            do {
                let written = try Seeds.write(to: arguments[arguments.startIndex + 1])
                print("wrote \(written) seed inputs")
            } catch {
                complain("civic-fuzz: \(error)")
                exit(1)
            }
        default:
            complain("usage: civic-fuzz replay TARGET FILE… | civic-fuzz seed DIR   (fuzzing itself: tools/fuzz/run)")
            exit(2)
        }
    }
}
#endif
