/// One kernel invocation of a planned network, with the buffer slots it reads and writes.
struct Step: Sendable {
    /// The graph node whose value this step produces (after folding, the last node of the chain).
    let name: String
    let kernel: any Kernel
    let inputSlots: [Int]
    let outputSlot: Int
}
