import LinearAlgebra
import Testing

@Suite("OpenBLAS core type: notebook programs and benchmark warnings")
struct OpenBLASCoreTypeTests {
    @Test(
        arguments: [
            ("flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512dq avx512vl\n", "SkylakeX"),
            ("processor : 0\nflags : fpu sse2 avx avx2 fma\n", "Haswell"),
            ("flags : fpu sse2 sse4_2\n", nil),
            ("no flags line here\n", nil),
        ] as [(String, String?)])
    func coreTypeFollowsCPUFlags(cpuInfo: String, expected: String?) {
        #expect(OpenBLASCoreType.coreType(forCPUInfo: cpuInfo) == expected)
    }

    @Test func anExistingSettingIsKept() {
        #expect(OpenBLASCoreType.environmentForChild(environment: ["OPENBLAS_CORETYPE": "Haswell"]).isEmpty)
    }

    @Test func unreadableCPUInfoAddsNothing() {
        #expect(
            OpenBLASCoreType.environmentForChild(environment: [:], cpuInfoPath: "/nonexistent/cpuinfo")
                .isEmpty
        )
    }

    private static let avx512 = "flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512dq avx512vl\n"
    private static let avx2 = "flags : fpu sse2 avx avx2 fma\n"

    @Test func benchmarksWarnAboutGenericKernels() throws {
        let warning = try #require(
            OpenBLASCoreType.benchmarkWarning(coreName: "Prescott", cpuInfo: Self.avx2))
        #expect(warning.contains("Prescott"))
    }

    @Test func benchmarksNoteAVX2KernelsOnAnAVX512CPU() throws {
        let note = try #require(OpenBLASCoreType.benchmarkWarning(coreName: "Haswell", cpuInfo: Self.avx512))
        #expect(note.contains("OPENBLAS_CORETYPE=SkylakeX"))
        #expect(OpenBLASCoreType.benchmarkWarning(coreName: "Zen", cpuInfo: Self.avx512) != nil)
    }

    @Test func matchingKernelsGiveNoWarning() {
        #expect(OpenBLASCoreType.benchmarkWarning(coreName: "SkylakeX", cpuInfo: Self.avx512) == nil)
        #expect(OpenBLASCoreType.benchmarkWarning(coreName: "Haswell", cpuInfo: Self.avx2) == nil)
    }
}
