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
        .library(name: "CollectionLearning", targets: ["CollectionLearning"]),
        .library(name: "Classifier", targets: ["Classifier"]),
        .library(name: "Server", targets: ["Server"]),
        .executable(name: "colecionador", targets: ["colecionador"]),
        .executable(name: "colecionador-bench", targets: ["colecionador-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Trace export over OTLP/HTTP only: the default traits also build the gRPC exporter
        // (grpc-swift and its transport), minutes more of every clean build for nothing we use.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
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
        .target(name: "CSpinWait"),
        .target(name: "CInstructionSet"),
        // The one file layer: read-only mappings, atomic whole-file writes and their temporaries.
        .target(name: "FileSupport"),
        .target(name: "CNN", dependencies: ["COpenBLAS", "CSpinWait", "CInstructionSet", "FileSupport"]),
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG"]),
        // The weights and labels that ship with the library, as resources (Weights/ also holds
        // their export scripts and provenance, which are not part of the target).
        .target(
            name: "BundledWeights", path: "Weights",
            exclude: [
                "README.md", "build_onnx_efficientnet_lite0.py", "efficientnet_lite.py", "export_efficientnet_lite0.py",
                "export_keras_mobilenetv2.py", "extract_imagenet_labels.py", "safetensors_writer.py",
            ],
            sources: ["BundledWeights.swift"],
            resources: [.copy("efficientnet-lite0.safetensors"), .copy("imagenet-labels.txt")]),
        .target(name: "Models", dependencies: ["CNN", "Imaging", "BundledWeights"]),
        .target(
            name: "VectorIndex",
            dependencies: ["COpenBLAS", "CInstructionSet", "FileSupport", .product(name: "Collections", package: "swift-collections")]),
        // The collector's own categories over a backbone's embeddings: the nearest-items vote
        // and the trained head (training over OpenBLAS, head files, cross-validation).
        .target(name: "CollectionLearning", dependencies: ["COpenBLAS", "CNN", "Models", "VectorIndex"]),

        // The service: the request pipeline (no HTTP, no database), then the HTTP server.
        .target(
            name: "Classifier",
            dependencies: [
                "FileSupport", "CNN", "Imaging", "Models", "VectorIndex", "CollectionLearning",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]),
        .target(
            name: "Server",
            dependencies: [
                "Classifier", "CollectionLearning", "CNN", "Models",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Command-line tool.
        .executableTarget(
            name: "colecionador",
            dependencies: [
                "CNN", "Imaging", "Models", "VectorIndex", "CollectionLearning", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // The executable picks the tracing backend; the libraries only use the
                // swift-distributed-tracing API and stay backend-neutral.
                .product(name: "OTel", package: "swift-otel"),
            ]),

        // Benchmark executable: `swift run -c release colecionador-bench …`.
        .executableTarget(
            name: "colecionador-bench",
            dependencies: [
                "CNN", "Imaging", "Models", "VectorIndex", "CollectionLearning", "Classifier", "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/colecionador-bench"),

        // Test support: counts heap allocations per thread (replaces malloc in the executable).
        .target(name: "CAllocationCounter"),

        .testTarget(name: "CNNTests", dependencies: ["CNN", "CAllocationCounter"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "CNN", "Imaging"]),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier"]),
        .testTarget(name: "CollectionLearningTests", dependencies: ["CollectionLearning", "CNN", "Models", "VectorIndex"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Classifier", "CollectionLearning", "CNN", "Models", "VectorIndex",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex"]),
        .testTarget(name: "FileSupportTests", dependencies: ["FileSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
