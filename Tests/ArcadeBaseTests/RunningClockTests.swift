// The running clock leaves out a step in which the process was continued (SIGCONT follows a pause).
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import ArcadeBase

@Suite struct RunningClockTests {
  @Test func aContinuedStepCountsAsTheStepBefore() {
    var clock = RunningClock()
    usleep(20_000)
    let first = clock.tick()
    #expect(first >= 0.02)
    usleep(200_000)               // stands for a pause: the process is continued before the next tick
    raise(SIGCONT)
    let second = clock.tick()
    #expect(second - first < 0.1, "the continued step counted its wall time: \(second - first) s")
    #expect(second > first)       // …and the length of the step before it instead
    usleep(20_000)
    #expect(clock.tick() - second >= 0.02)   // later steps count again
  }
}
