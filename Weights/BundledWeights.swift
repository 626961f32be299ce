import Foundation

/// Where the weights and labels that ship with Colecionador are at run time: SwiftPM resources of
/// this target (`Package.swift`), copied next to every executable that depends on the package, so
/// an app finds them with no environment variable and from any working directory.
///
/// The resource bundle is looked up without SwiftPM's `Bundle.module`, which stops the process
/// when its bundle is missing: next to the main executable (where SwiftPM puts it for apps and
/// test runners), else this source file's directory (a checkout, or a package dependency's
/// checkout, still on disk), else nil.
public enum BundledWeights {
    /// The name SwiftPM gives this target's resource bundle: `<package>_<target>.resources`.
    static let bundleName = "Colecionador_BundledWeights.resources"

    /// A file every bundled-weights directory holds.
    public static let markerFile = "efficientnet-lite0.safetensors"

    /// The directory holding the bundled files, or nil when neither place has them.
    public static let directory: String? = {
        var candidates: [URL] = [Bundle.main.bundleURL.appendingPathComponent(bundleName, isDirectory: true)]
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName, isDirectory: true))
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(markerFile).path) }?.path
    }()
}
