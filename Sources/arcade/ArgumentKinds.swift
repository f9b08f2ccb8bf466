import ArcadeCore
import ArcadeFewShot
import ArcadeNN
import ArcadeRL
import ArgumentParser

// Options with a fixed set of values parse straight into these enums: the parser refuses any other value
// with the list of valid ones, and no command compares strings.
extension DistributionMode: ExpressibleByArgument {}
extension CoreKind: ExpressibleByArgument {}
extension GridEncoder: ExpressibleByArgument {}
extension TrainPipeline: ExpressibleByArgument {}
extension Split: ExpressibleByArgument {}
extension AnswerHead: ExpressibleByArgument {}
extension EpisodeMode: ExpressibleByArgument {}

/// What an agent observes: the 64×64 rgb frame (IMPALA CNN) or the grid planes.
enum ObservationChoice: String, ExpressibleByArgument, CaseIterable { case rgb, grid }

/// Which levels `eval` plays: the run's own or held-out ones.
enum EvalSplit: String, ExpressibleByArgument, CaseIterable { case train, test }

/// `run`'s built-in policies.
enum RunPolicy: String, ExpressibleByArgument, CaseIterable { case random, noop }

/// `run`'s output while stepping.
enum RunRender: String, ExpressibleByArgument, CaseIterable { case none, text }

/// `replay`'s output when not checking.
enum ReplayRender: String, ExpressibleByArgument, CaseIterable { case view, none, text }

/// Who plays in `watch`.
enum WatchPolicy: String, ExpressibleByArgument, CaseIterable { case agent, random }

/// `bench train`'s pipelines.
enum BenchPipeline: String, ExpressibleByArgument, CaseIterable { case sync, overlap, both }

/// The few-shot model's cores.
enum FewShotCore: String, ExpressibleByArgument, CaseIterable { case srwm, delta, lstm }
