import CNN
import Foundation

extension PreparedParameterCache {
    /// Overrides the standard directory; `off` (or an empty value) disables the cache.
    public static let environmentVariable = "COLECIONADOR_PREPARED_CACHE"

    /// The prepared-parameters directory every Colecionador process of a user on this machine
    /// shares unless told otherwise (`colecionador serve` and the CLI load models with it):
    /// `$COLECIONADOR_PREPARED_CACHE`, else `$XDG_CACHE_HOME/colecionador/prepared`, else
    /// `$HOME/.cache/colecionador/prepared`. `nil` when disabled or when there is no home.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PreparedParameterCache? {
        if let explicit = environment[environmentVariable] {
            return explicit.isEmpty || explicit == "off" ? nil : PreparedParameterCache(directory: explicit)
        }
        if let cacheHome = environment["XDG_CACHE_HOME"], cacheHome.hasPrefix("/") {
            return PreparedParameterCache(directory: cacheHome + "/colecionador/prepared")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return PreparedParameterCache(directory: home + "/.cache/colecionador/prepared")
    }
}
