/// Restricts a search to some ids (FAISS's `IDSelector`). Excluded ids are never returned; the
/// graph or lists may still be traversed through them.
///
/// When a filter lets through only a small fraction of the stored vectors, the indexes scan the
/// allowed vectors exactly instead of walking the approximate structure, so recall does not drop.
public enum IDFilter: Sendable {
    /// Only these ids may be returned.
    case allowed(Set<UInt64>)
    /// These ids must not be returned.
    case excluded(Set<UInt64>)
    /// Ids for which the predicate returns `true` may be returned. It must be cheap and thread-safe:
    /// it is called from the searching thread, possibly from several threads at once.
    case predicate(@Sendable (UInt64) -> Bool)

    @inline(__always)
    public func accepts(_ id: UInt64) -> Bool {
        switch self {
        case .allowed(let ids): ids.contains(id)
        case .excluded(let ids): !ids.contains(id)
        case .predicate(let accepts): accepts(id)
        }
    }
}
