#if !FUZZING
    import Foundation
    import FuzzTargets

    /// `fuzz TARGET FILE…`: feeds each file to a fuzzing target's parser once (to reproduce a
    /// crash that `Scripts/fuzz.sh` found, under a debugger or with its fix).
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
                print("usage: fuzz TARGET FILE…  (TARGET: \(names))")
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("fuzz: cannot read \(path)")
                    exit(1)
                }
                target.run([UInt8](data))
                print("\(target.rawValue): \(path) ok")
            }
        }
    }
#endif
