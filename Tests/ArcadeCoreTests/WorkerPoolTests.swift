import Synchronization
import Testing
import ArcadeThreads

@Suite struct WorkerPoolTests {
  @Test(arguments: [1, 2, 3, 5])
  func everyChunkRunsOnceOnItsWorkerInManyBackToBackCalls(_ threads: Int) {
    let pool = WorkerPool(threads: threads)
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
    defer { counts.deallocate() }
    counts.initialize(repeating: 0)
    nonisolated(unsafe) let c = counts
    for _ in 0..<2000 { pool.run { k in c[k] += 1 } }
    #expect(Array(counts) == Array(repeating: 2000, count: threads))
  }

  @Test func forEachCoversEveryIndexOnceAndNestedCallsRunInline() {
    let pool = WorkerPool(threads: 2)
    for n in [0, 1, 2, 7, 100] {
      let hits = Atomic<Int>(0), nested = Atomic<Int>(0)
      let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(n, 1))
      seen.initialize(repeating: 0)
      nonisolated(unsafe) let s = seen
      pool.forEach(n) { i in
        s[i] += 1
        hits.add(1, ordering: .relaxed)
        pool.forEach(3) { _ in nested.add(1, ordering: .relaxed) }   // pool busy: runs inline
      }
      #expect(hits.load(ordering: .relaxed) == n)
      #expect(nested.load(ordering: .relaxed) == 3 * n)
      #expect(Array(seen.prefix(n)) == Array(repeating: 1, count: n))
      seen.deallocate()
    }
  }

  @Test func poolsComeAndGoAfterTheirWorkersSlept() async throws {
    for _ in 0..<3 {
      let pool = WorkerPool(threads: 2)
      let hits = Atomic<Int>(0)
      pool.run { _ in hits.add(1, ordering: .relaxed) }
      try await Task.sleep(for: .milliseconds(30))    // the worker gives up spinning and sleeps
      pool.run { _ in hits.add(1, ordering: .relaxed) }
      #expect(hits.load(ordering: .relaxed) == 4)
    }
  }
}

@Suite struct CPUPlacementTests {
  @Test(.enabled(if: CPUPlacement.allowed().count > 1, "needs two CPUs"))
  func aThreadThatLeavesItsCPURunsElsewhereWithItsCPUSetIntact() {
    let before = CPUPlacement.allowed()
    let cpu = CPUPlacement.current()
    #expect(cpu >= 0, "sched_getcpu was not found")
    #expect(before.contains(cpu))
    CPUPlacement.leave(cpu: cpu)
    #expect(CPUPlacement.current() != cpu)
    #expect(CPUPlacement.allowed() == before)
  }

  @Test func leavingACPUBeyondTheMaskChangesNothing() {
    let before = CPUPlacement.allowed()
    CPUPlacement.leave(cpu: 4096)   // beyond any mask: ignored
    #expect(CPUPlacement.allowed() == before)
  }
}
