import FileSupport
/// A growable, contiguous array of plain values with a stable base pointer between growths:
/// the flat storage of vectors, ids and links (hnswlib's layout).
///
/// An arena either owns heap memory or views a range of a read-only `ReadOnlyMapping`. A mapped arena
/// is copied to owned memory on its first mutation (copy-on-write at the arena level), so a
/// loaded index can be searched straight from the page cache and still be modified.
/// Not thread-safe by itself: the owning index guards it with its lock.
final class Arena<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count: Int
    private(set) var capacity: Int
    private var mapping: ReadOnlyMapping?

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
        count = 0
    }

    /// A view of `count` elements at `byteOffset` in `file`; `byteOffset` must be aligned for `Element`.
    init(viewing file: ReadOnlyMapping, byteOffset: Int, count: Int) {
        let raw = UnsafeMutableRawPointer(mutating: file.bytes.baseAddress!) + byteOffset
        base = raw.assumingMemoryBound(to: Element.self)
        self.count = count
        capacity = count
        mapping = file
    }

    deinit {
        if mapping == nil { base.deallocate() }
    }

    var isMapped: Bool { mapping != nil }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        set {
            if mapping != nil { makeOwned(capacity: capacity) }
            base[index] = newValue
        }
    }

    /// Ensures room for `minimumCapacity` elements (growing geometrically) in owned memory.
    func reserve(_ minimumCapacity: Int) {
        if mapping == nil && minimumCapacity <= capacity { return }
        makeOwned(capacity: max(minimumCapacity, mapping == nil ? capacity * 2 : capacity))
    }

    func append(_ value: Element) {
        reserve(count + 1)
        base[count] = value
        count += 1
    }

    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        reserve(count + values.count)
        if let source = values.baseAddress { (base + count).update(from: source, count: values.count) }
        count += values.count
    }

    func append(repeating value: Element, count extra: Int) {
        reserve(count + extra)
        (base + count).initialize(repeating: value, count: extra)
        count += extra
    }

    /// Drops elements from the end.
    func removeLast(_ n: Int) {
        precondition(n <= count)
        count -= n
    }

    /// Copies `n` elements from `source` to `destination` within the arena.
    func move(from source: Int, to destination: Int, count n: Int) {
        if mapping != nil { makeOwned(capacity: capacity) }
        (base + destination).update(from: base + source, count: n)
    }

    /// A pointer for writing; makes the arena owned first.
    var mutableBase: UnsafeMutablePointer<Element> {
        if mapping != nil { makeOwned(capacity: capacity) }
        return base
    }

    private func makeOwned(capacity newCapacity: Int) {
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: max(newCapacity, 1))
        fresh.initialize(from: base, count: count)
        if mapping == nil { base.deallocate() }
        mapping = nil
        base = fresh
        capacity = max(newCapacity, 1)
    }
}
