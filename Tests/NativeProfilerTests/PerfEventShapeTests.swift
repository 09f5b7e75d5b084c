@testable import NativeProfiler
import Testing

/// The ring buffer each perf_event stream gets: four 10 ms drain intervals' worth of samples,
/// a power of two of pages, and never less than two samples' worth when memory is short.
@Suite struct PerfEventShapeTests {
    private func shape(rate: Int, stack: Int) -> PerfEventThreads.StreamShape {
        PerfEventSampler(pid: 1, configuration: SamplerConfiguration(rate: rate, stackCopySize: stack)).streamShape()
    }

    @Test func buffersGrowWithRateAndStackSize() {
        // 99 Hz, 32 KiB: (4 × 0.99 + 2) samples × 33,024 B = 48 pages → 64.
        let usual = shape(rate: 99, stack: 32 * 1024)
        #expect(usual.bufferPages == 64 && usual.stackBytes == 32 * 1024 && usual.periodNanoseconds == 10_101_010)
        // 1 kHz: 42 samples = 339 pages → 512.
        #expect(shape(rate: 1000, stack: 32 * 1024).bufferPages == 512)
        // 10 kHz with 63 KiB copies would want far more: capped at 4 MiB.
        #expect(shape(rate: 10_000, stack: 63 * 1024).bufferPages == 1024)
        // Small copies at a low rate: the 8-page floor.
        #expect(shape(rate: 1, stack: 4096).bufferPages == 8)
    }

    @Test func theSmallestBufferHoldsTwoSamples() {
        #expect(shape(rate: 99, stack: 32 * 1024).minimumBufferPages == 32)  // 2 × 33,024 B = 17 pages → 32
        #expect(shape(rate: 99, stack: 4096).minimumBufferPages == 4)  // 2 × 4,352 B = 3 pages → 4
        #expect(shape(rate: 99, stack: 63 * 1024).minimumBufferPages == 32)  // 2 × 64,768 B = 32 pages
    }
}
