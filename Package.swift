// swift-tools-version:6.0
import PackageDescription

// No unsafeFlags here: SwiftPM refuses them in a package used through a version
// requirement, and the libraries are meant to be used that way (tools/consumer-test).
// Speed comes from the command line instead: tools/swift-release builds in release with
// -target-cpu haswell, which the SIMD code needs (docs/development.md, "Build flags").

let package = Package(
  name: "ProcArcade",
  products: [
    .library(name: "ArcadeCore", targets: ["ArcadeCore"]),
    .library(name: "ArcadeGames", targets: ["ArcadeGames"]),
    .library(name: "ArcadeNN", targets: ["ArcadeNN"]),
    .executable(name: "arcade", targets: ["arcade"]),
    // The C ABI for other languages (Python binding in tools/python).
    .library(name: "ProcArcadeC", type: .dynamic, targets: ["ArcadeCABI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Base under both stacks: PRNGs, errors, atomic files, number formatting, confidence intervals
    .target(name: "ArcadeBase"),
    .target(name: "ArcadeThreads"),

    // MARK: - Game suite
    .target(name: "ArcadeCore", dependencies: ["ArcadeBase", "ArcadeThreads"]),
    .target(name: "ArcadeGames", dependencies: ["ArcadeCore"]),

    // MARK: - Numerics (OpenBLAS)
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    .target(name: "ArcadeTensor", dependencies: ["ArcadeBase", "CBLAS", "ArcadeThreads"]),
    // Prefetch hints (a header of inline C functions; no library).
    .systemLibrary(name: "CCacheHints", path: "Sources/CCacheHints"),
    .target(name: "ArcadeNN", dependencies: ["ArcadeTensor", "CCacheHints"]),

    .target(name: "ArcadeCABI", dependencies: ["ArcadeCore", "ArcadeGames"]),

    // MARK: - Charts (SVG, and PNG through libpng; never depends on the numeric stack)
    // libpng, also used by ArcadeFewShot for Omniglot
    .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .target(name: "ArcadePlot", dependencies: ["CPNG"]),

    // MARK: - Terminal viewer (ncurses); never depends on the numeric stack
    .systemLibrary(name: "CNcursesW", path: "Sources/CNcursesW", providers: [.apt(["libncurses-dev"])]),
    .target(name: "ArcadeViewer", dependencies: ["ArcadeCore", "CNcursesW"]),

    // MARK: - Reinforcement learning on the suite
    .target(name: "ArcadeRL", dependencies: ["ArcadeCore", "ArcadeGames", "ArcadeNN", "ArcadeTensor", "ArcadeThreads"]),

    // MARK: - Data-parallel training: Open MPI, loaded at run time only under mpirun (no build dependency)
    .target(name: "ArcadeMPI"),

    // MARK: - Few-shot learning (Omniglot via libpng, procedural glyphs)
    .target(name: "ArcadeFewShot", dependencies: ["ArcadeNN", "ArcadeTensor", "ArcadeBase", "CPNG"]),

    // MARK: - Command-line tool
    .executableTarget(name: "arcade", dependencies: [
      "ArcadeCore", "ArcadeGames", "ArcadeNN", "ArcadeViewer", "ArcadePlot", "ArcadeRL", "ArcadeFewShot", "ArcadeMPI",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    // MARK: - Tests
    .testTarget(name: "ArcadeBaseTests", dependencies: ["ArcadeBase"]),
    .testTarget(name: "ArcadeCoreTests", dependencies: ["ArcadeCore", "ArcadeThreads"]),
    .testTarget(name: "ArcadeGamesTests", dependencies: ["ArcadeGames", "ArcadeCore"],
                resources: [.copy("Resources/golden-hashes.txt")]),
    // Reference-vector loading and finite-difference checks, shared by the ArcadeNN and ArcadeRL tests.
    .target(name: "ArcadeNNTestSupport", dependencies: ["ArcadeNN", "ArcadeTensor"], path: "Tests/ArcadeNNTestSupport"),
    .testTarget(name: "ArcadeNNTests", dependencies: ["ArcadeNN", "ArcadeTensor", "ArcadeNNTestSupport"]),
    .testTarget(name: "ArcadePlotTests", dependencies: ["ArcadePlot", "CPNG"]),
    .testTarget(name: "ArcadeRLTests", dependencies: ["ArcadeRL", "ArcadeNN", "ArcadeTensor", "ArcadeCore", "ArcadeNNTestSupport"]),
    .testTarget(name: "ArcadeFewShotTests", dependencies: ["ArcadeFewShot", "ArcadeNN", "ArcadeBase"]),
    .testTarget(name: "ArcadeViewerTests", dependencies: ["ArcadeViewer", "ArcadeGames", "ArcadeCore"]),
  ]
)
