// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so the main build stays lean; they measure the main
// package's library products through the same engine path the shell uses.
let package = Package(
    name: "FundflowBenchmarks",
    dependencies: [
        .package(name: "fundflow", path: "../"),
        .package(
            url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "PostingFixture",
            dependencies: [
                .product(name: "FundflowEngine", package: "fundflow"),
                .product(name: "FundflowCore", package: "fundflow"),
            ]),
        .executableTarget(name: "PostingRate", dependencies: ["PostingFixture"]),
        .executableTarget(
            name: "FXRate",
            dependencies: [
                .product(name: "FundflowEngine", package: "fundflow"), .product(name: "FundflowCore", package: "fundflow"),
            ]),
        .executableTarget(
            name: "RouteSearch",
            dependencies: [
                .product(name: "FundflowEngine", package: "fundflow"), .product(name: "FundflowCore", package: "fundflow"),
            ]),
        .executableTarget(
            name: "LedgerPosting",
            dependencies: ["PostingFixture", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/LedgerPosting",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
