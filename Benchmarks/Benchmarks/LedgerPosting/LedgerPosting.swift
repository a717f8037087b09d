import Benchmark
import PostingFixture

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(10))

    // One iteration = one commit of 1,000 two-leg transfers through Engine.postBatch.
    Benchmark("post 1000 two-leg transfers (one commit, FULL sync)") { benchmark in
        let fixture = try PostingFixture()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try fixture.postBatch(1_000)
        }
        benchmark.stopMeasurement()
    }
}
