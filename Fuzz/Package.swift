// swift-tools-version: 6.1
// libFuzzer harnesses for Colecionador's parsers of untrusted bytes. A separate package, so the
// root's `swift build --build-tests` never builds executables without a `main`. Build and run:
// see Docs/Fuzzing.md and run-regressions.sh.
import PackageDescription

let package = Package(
    name: "ColecionadorFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Colecionador", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "fuzz-jpeg", dependencies: [.product(name: "Imaging", package: "Colecionador")]),
        .executableTarget(
            name: "fuzz-png", dependencies: [.product(name: "Imaging", package: "Colecionador")]),
        .executableTarget(
            name: "fuzz-exif", dependencies: [.product(name: "Imaging", package: "Colecionador")]),
        .executableTarget(
            name: "fuzz-safetensors", dependencies: [.product(name: "CNN", package: "Colecionador")]),
        .executableTarget(
            name: "fuzz-index", dependencies: [.product(name: "VectorIndex", package: "Colecionador")]),
        .executableTarget(
            name: "fuzz-upload", dependencies: [.product(name: "Classifier", package: "Colecionador")]),
    ],
    swiftLanguageModes: [.v6]
)
