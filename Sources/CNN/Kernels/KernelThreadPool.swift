import CSpinWait
import Dispatch
import Synchronization

/// The threads that help `KernelParallelism` split one layer: started once, and spinning for a
/// moment after each job so the next layer (tens to hundreds of microseconds later) finds them
/// awake. `DispatchQueue.concurrentPerform` wakes a pool thread per layer, and a wake-up can take
/// longer than a layer: the caller would have done every part by the time the helper came.
///
/// One job at a time: a caller that finds the pool busy (another request's forward pass) runs
/// its parts itself, so threads in use never exceed the cores.
///
/// Protocol (all atomics sequentially consistent): the caller publishes the job, makes
/// `generation` odd (open), works on parts itself, waits until every part is finished, makes
/// `generation` even (closed) and waits until no helper is `active` before dropping the job. A
/// helper counts itself `active` and only then re-reads `generation`: if the job is still open,
/// the caller cannot drop it before the helper leaves.
final class KernelThreadPool: @unchecked Sendable {
    // @unchecked: `jobType`, `jobContext` and `parts` are written only by the caller holding
    // `busy`, while `generation` is even and no helper is active; helpers read them only while
    // active with the generation odd (see the protocol above).

    /// One helper per core beyond the caller's.
    static let shared = KernelThreadPool(helpers: max(0, ProcessorCount.active - 1))

    /// How long a helper spins after a job before it sleeps: longer than the gaps between the
    /// split layers of one forward pass (an element-wise add, tens of microseconds), much shorter
    /// than the gap between two requests' passes: a helper spinning through that gap takes the
    /// core from the next request's JPEG decode (on a two-vCPU VM the vCPUs may be siblings).
    static let spinNanoseconds: UInt64 = 200_000

    let helpers: Int
    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let nextPart = Atomic<Int>(0)
    private let finishedParts = Atomic<Int>(0)
    private let active = Atomic<Int>(0)
    private let sleepers: [Sleeper]
    /// The open job: its work's type, and the work itself on the caller's stack (a closure
    /// handed over instead cost an allocation per layer).
    private var jobType: (any PartitionedWork.Type)?
    private var jobContext: UnsafeRawPointer?
    private var parts = 0

    /// A helper's way to sleep without missing a job posted while it was deciding to.
    private final class Sleeper: Sendable {
        let asleep = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    init(helpers: Int) {
        self.helpers = helpers
        sleepers = (0..<helpers).map { _ in Sleeper() }
        for index in 0..<helpers {
            let sleeper = sleepers[index]
            // A queue of its own per helper: the block never returns, so it holds one thread.
            DispatchQueue(label: "colecionador.kernel-helper.\(index)").async { [self] in
                helperLoop(sleeper)
            }
        }
    }

    /// Runs every part of the `Work` at `context` (valid until this returns) on the caller and
    /// the helpers; `false` (having run nothing) when the pool has no helpers or is busy with
    /// another caller's job.
    func run<Work: PartitionedWork>(parts: Int, _ type: Work.Type, context: UnsafeMutablePointer<Work>) -> Bool {
        guard helpers > 0, busy.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else {
            return false
        }
        jobType = type
        jobContext = UnsafeRawPointer(context)
        self.parts = parts
        nextPart.store(0, ordering: .sequentiallyConsistent)
        finishedParts.store(0, ordering: .sequentiallyConsistent)
        let open = generation.add(1, ordering: .sequentiallyConsistent).newValue
        // An index loop: iterating the array allocates in debug builds.
        for index in 0..<sleepers.count where sleepers[index].asleep.exchange(false, ordering: .sequentiallyConsistent) {
            sleepers[index].wake.signal()
        }
        work(type, UnsafeRawPointer(context), parts: parts)
        while finishedParts.load(ordering: .sequentiallyConsistent) < parts { colecionador_spin_pause() }
        generation.store(open &+ 1, ordering: .sequentiallyConsistent)
        while active.load(ordering: .sequentiallyConsistent) > 0 { colecionador_spin_pause() }
        jobType = nil
        jobContext = nil
        busy.store(false, ordering: .sequentiallyConsistent)
        return true
    }

    /// Claims and runs parts until none is left.
    private func work<Work: PartitionedWork>(_: Work.Type, _ context: UnsafeRawPointer, parts: Int) {
        let work = context.assumingMemoryBound(to: Work.self)
        while true {
            let part = nextPart.add(1, ordering: .sequentiallyConsistent).oldValue
            if part >= parts { return }
            work.pointee.run(part: part, of: parts)
            finishedParts.add(1, ordering: .sequentiallyConsistent)
        }
    }

    private func helperLoop(_ sleeper: Sleeper) {
        var seen = generation.load(ordering: .sequentiallyConsistent)
        while true {
            // Spin until a new job opens or the spin time is up; then sleep.
            var spins = 0
            var spinStart: UInt64 = 0
            var current = generation.load(ordering: .sequentiallyConsistent)
            while current == seen || current & 1 == 0 {
                seen = current
                spins &+= 1
                if spins & 1023 == 0 {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if spinStart == 0 {
                        spinStart = now
                    } else if now &- spinStart > Self.spinNanoseconds {
                        sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
                        if generation.load(ordering: .sequentiallyConsistent) != seen {
                            // A job came while falling asleep: if its caller already took the
                            // flag back, it signalled too — consume that signal.
                            if !sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) { sleeper.wake.wait() }
                        } else {
                            sleeper.wake.wait()
                        }
                        spinStart = 0
                    }
                }
                colecionador_spin_pause()
                current = generation.load(ordering: .sequentiallyConsistent)
            }
            seen = current
            active.add(1, ordering: .sequentiallyConsistent)
            if generation.load(ordering: .sequentiallyConsistent) == current { workOnOpenJob() }
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// A helper's share of the open job. Not inlined: whatever it retained of the caller's work
    /// (the kernel's arrays) must be released before it stops counting as active, and ARC may
    /// delay a release to the end of a scope but not past a call's return.
    @inline(never)
    private func workOnOpenJob() {
        guard let type = jobType, let context = jobContext else { return }
        work(type, context, parts: parts)
    }
}
