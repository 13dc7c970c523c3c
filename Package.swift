// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AdjointNotebooks",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Diagnostics", targets: ["Diagnostics"]),
        .library(name: "MarkdownAST", targets: ["MarkdownAST"]),
        .library(name: "PNGCodec", targets: ["PNGCodec"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "BackMap", targets: ["BackMap"]),
        .library(name: "ONNXImport", targets: ["ONNXImport"]),
        .library(name: "NotebookSupport", targets: ["NotebookSupport"]),
        .library(name: "NotebookKit", targets: ["NotebookKit"]),
        .executable(name: "backmap", targets: ["backmap"]),
        .executable(name: "notebook", targets: ["notebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // System C libraries: each is imported by exactly one Swift wrapper module.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // The "place + message" error every module shares (PlacedError, Place); depends on nothing.
        .target(name: "Diagnostics"),

        // Safe Swift wrappers.
        .target(name: "MarkdownAST", dependencies: ["CCmark"]),
        .target(name: "PNGCodec", dependencies: ["CPNG", "Diagnostics"]),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),

        // The engine: networks, folding, forward pass, adjoint back-map, Jacobians, verification.
        // Its notebook displays (`show(h)`, Sources/BackMap/Displays) draw with NotebookSupport.
        .target(
            name: "BackMap", dependencies: ["Diagnostics", "LinearAlgebra", "NotebookSupport", "PNGCodec"]),
        // ONNX import (docs/ONNX.md): onnx.pb.swift is generated once and committed.
        .target(
            name: "ONNXImport",
            dependencies: [
                "BackMap", "Diagnostics", "LinearAlgebra", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .executableTarget(
            name: "backmap",
            dependencies: [
                "BackMap", "Diagnostics", "PNGCodec", "ONNXImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The notebook runner: parse → generate → build → run → render → site.
        .target(name: "NotebookSupport", dependencies: ["Diagnostics", "PNGCodec"]),
        .target(
            name: "NotebookKit",
            dependencies: [
                "Diagnostics", "MarkdownAST", "NotebookSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The unit explorer's JSON API over the engine (served by `notebook serve`).
        .target(name: "Explorer", dependencies: ["BackMap", "Diagnostics", "NotebookSupport", "PNGCodec"]),
        // `notebook serve`: the site with live reload, explore.html and the explorer's API over HTTP.
        .target(
            name: "NotebookServer",
            dependencies: ["Explorer", "NotebookKit", .product(name: "FlyingFox", package: "FlyingFox")]
        ),

        .executableTarget(
            name: "notebook",
            dependencies: [
                "NotebookKit", "NotebookServer", "Explorer", "LinearAlgebra",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Fuzzing targets for the parsers this project owns (Scripts/fuzz.sh, docs/FUZZING.md).
        .target(name: "FuzzTargets", dependencies: ["BackMap", "NotebookKit"]),
        .executableTarget(name: "fuzz", dependencies: ["FuzzTargets"]),

        // Runs the `backmap` executable beside the test bundle (BackMapTests, ONNXImportTests).
        .target(name: "CommandTestSupport", path: "Tests/CommandTestSupport"),
        .testTarget(name: "MarkdownASTTests", dependencies: ["MarkdownAST"]),
        .testTarget(
            name: "BackMapTests",
            dependencies: [
                "BackMap", "CommandTestSupport", "Diagnostics", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "NotebookKitTests",
            dependencies: ["Diagnostics", "NotebookKit", "NotebookSupport", "MarkdownAST", "PNGCodec"]
        ),
        .testTarget(
            name: "PNGCodecTests", dependencies: ["Diagnostics", "PNGCodec"], exclude: ["Fixtures"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "BackMap", "PNGCodec"]),
        .testTarget(
            name: "NotebookServerTests",
            dependencies: ["NotebookServer", "Explorer", "NotebookKit", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], exclude: ["Inputs"]),
        .testTarget(
            name: "ONNXImportTests", dependencies: ["ONNXImport", "BackMap", "CommandTestSupport", "LinearAlgebra"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
    ],
    swiftLanguageModes: [.v6]
)
