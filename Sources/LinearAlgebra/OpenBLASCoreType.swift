import Foundation

/// Chooses OpenBLAS's kernel family for programs this process starts (the notebook programs
/// of `notebook`), when nobody else has.
///
/// OpenBLAS picks its CPU kernels when the library loads. In virtual machines it often fails
/// to recognise the processor and falls back to its generic `Prescott` kernels, which run the
/// engine's products several times slower (measured here: 34 against 280 GFLOP/s on an AVX-512
/// machine). A running program cannot fix that for itself, but the process that starts it can:
/// `notebook` passes ``environmentForChild(environment:cpuInfoPath:)`` to the notebook runner.
/// An `OPENBLAS_CORETYPE` already in the environment is always kept.
public enum OpenBLASCoreType {
    /// The variables to add to a child program's environment: empty when
    /// `OPENBLAS_CORETYPE` is already set or the CPU flags cannot be read.
    public static func environmentForChild(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        cpuInfoPath: String = "/proc/cpuinfo"
    ) -> [String: String] {
        guard environment["OPENBLAS_CORETYPE"] == nil,
            let cpuInfo = try? String(contentsOfFile: cpuInfoPath, encoding: .utf8),
            let coreType = coreType(forCPUInfo: cpuInfo)
        else { return [:] }
        return ["OPENBLAS_CORETYPE": coreType]
    }

    /// The OpenBLAS core type matching the first `flags` line of `/proc/cpuinfo` text: `SkylakeX`
    /// with AVX-512 (F, BW, DQ, VL), `Haswell` with AVX2 and FMA, otherwise `nil` (let OpenBLAS
    /// decide).
    public static func coreType(forCPUInfo text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            return nil
        }
        let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }))
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy({ flags.contains(Substring($0)) }) {
            return "SkylakeX"
        }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// A warning for benchmark output when the kernels OpenBLAS runs (`coreName`, from
    /// `openblas_get_corename`) are below what the CPU described by `cpuInfo` supports, or `nil`.
    ///
    /// Two cases: the generic `Prescott` kernels (OpenBLAS did not recognise the CPU), and AVX2
    /// kernels (`Haswell`, `Zen`) on a CPU with AVX-512, which happens when `OPENBLAS_CORETYPE`
    /// is set to `Haswell` for safety. On the 2-core AMD EPYC of `docs/BENCHMARKS.md`
    /// (2026-12-01) `SkylakeX` kernels doubled the GEMM peak (about 250 → 480 GFLOP/s).
    public static func benchmarkWarning(coreName: String, cpuInfo: String) -> String? {
        if coreName == "Prescott" {
            return "WARNING: OpenBLAS chose its generic Prescott kernels (CPU not recognised, common "
                + "in VMs); GEMM runs several times below the machine's peak. Set "
                + "OPENBLAS_CORETYPE (e.g. SkylakeX or Haswell) to match the CPU."
        }
        if ["Haswell", "Zen"].contains(coreName), coreType(forCPUInfo: cpuInfo) == "SkylakeX" {
            return "NOTE: OpenBLAS runs its AVX2 kernels (core \(coreName)) on a CPU with AVX-512; "
                + "OPENBLAS_CORETYPE=SkylakeX may run GEMM up to twice as fast (measured: 250 → 480 "
                + "GFLOP/s on a 2-core AMD EPYC, docs/BENCHMARKS.md). Where the variable is set on "
                + "purpose (some OpenBLAS releases compute wrong results on some CPUs), compare "
                + "`backmap verify` results under both before switching."
        }
        return nil
    }
}
