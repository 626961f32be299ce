// swift-tools-version: 6.1
// Colecionador: classify photos of collectible items and find similar ones, in Swift,
// over OpenBLAS, libturbojpeg and libpng. See Docs/ and README.md.
import PackageDescription

let package = Package(
    name: "Colecionador",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CNN", targets: ["CNN"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "VectorIndex", targets: ["VectorIndex"]),
        .library(name: "Models", targets: ["Models"]),
        .executable(name: "colecionador", targets: ["colecionador"]),
        .executable(name: "colecionador-bench", targets: ["colecionador-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        // System libraries, found through pkg-config; Debian package names as providers.
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),

        // Library targets.
        .target(name: "CNN", dependencies: ["COpenBLAS"]),
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG"]),
        .target(name: "Models", dependencies: ["CNN", "Imaging"]),
        .target(
            name: "VectorIndex",
            dependencies: ["COpenBLAS", .product(name: "Collections", package: "swift-collections")]),

        // Command-line tool.
        .executableTarget(
            name: "colecionador",
            dependencies: [
                "CNN", "Imaging", "Models", "VectorIndex",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmark executable: `swift run -c release colecionador-bench …`.
        .executableTarget(
            name: "colecionador-bench",
            dependencies: [
                "CNN", "Imaging", "Models", "VectorIndex", "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/colecionador-bench"),

        // Test support: counts heap allocations per thread (replaces malloc in the executable).
        .target(name: "CAllocationCounter"),

        .testTarget(name: "CNNTests", dependencies: ["CNN", "CAllocationCounter"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex"]),
    ],
    swiftLanguageModes: [.v6]
)
