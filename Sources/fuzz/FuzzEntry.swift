// Built two ways. By `Scripts/fuzz.sh` with `-sanitize=fuzzer,address -DFUZZING`: `main` hands
// control to libFuzzer's driver with the entry point in this file, and `FUZZ_TARGET` names the
// parser. (SwiftPM links an executable's `main` to the module's own entry point, so libFuzzer's
// `main` is not used.) By a plain `swift build`: the replay tool in Replay.swift.

#if FUZZING
    import Foundation
    import FuzzTargets

    let fuzzTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// libFuzzer's driver (compiler-rt), called with the program's arguments and the entry point.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The fuzzer's `main`: libFuzzer's driver, feeding inputs to the parser named by `FUZZ_TARGET`.
    @main
    struct FuzzMain {
        static func main() {
            _ = fuzzTarget
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                runFuzzerDriver(&argc, &argv) { data, size in
                    fuzzTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                    return 0
                })
        }
    }
#endif
