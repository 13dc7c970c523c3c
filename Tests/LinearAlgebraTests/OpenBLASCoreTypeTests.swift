import LinearAlgebra
import Testing

@Suite("OpenBLAS core type for notebook programs")
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
}
