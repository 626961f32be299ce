// swift-tools-version: 6.1
// The README's quick start as a package of its own, depending on Colecionador by path
// (COLECIONADOR_PATH, default the checkout two levels up). CI copies it out of the checkout and
// runs it there: `swift run QuickStart photo.jpg …`.
import PackageDescription

let colecionador = Context.environment["COLECIONADOR_PATH"] ?? "../.."

let package = Package(
    name: "QuickStart",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Colecionador", path: colecionador)],
    targets: [
        .executableTarget(
            name: "QuickStart",
            dependencies: [
                .product(name: "Models", package: "Colecionador"),
                .product(name: "VectorIndex", package: "Colecionador"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
