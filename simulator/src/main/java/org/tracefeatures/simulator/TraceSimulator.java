package org.tracefeatures.simulator;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Runs a simulation: workers take trace indexes 0, 1, 2, ... in turn, generate each trace and write it to Kafka,
 * until the trace count or the time is up; progress goes to a writer about once a second.
 *
 * <p>Trace {@code k} depends on nothing but the seed and {@code k}: its random numbers come from
 * {@link #randomForTrace} and its start time from {@link #traceStart}. So a seed and a start time give the same
 * bytes for every trace whatever the number of workers; only the interleaving of traces in Kafka differs.
 */
public final class TraceSimulator {

    /** Simulated time between the starts of successive traces: trace {@code k} starts {@code k} ms into the run. */
    public static final Duration TRACE_SPACING = Duration.ofMillis(1);

    private static final long PROGRESS_INTERVAL_MILLIS = 1000;
    /** Sets the sampling draws apart from the traces' own random numbers. */
    private static final long SAMPLING_SALT = 0x5a3b1e9d7c4f2a61L;

    private final TraceGenerator generator;
    private final KafkaSpanWriter writer;
    private final int workers;
    private final long seed;
    private final Instant startTime;
    private final PrintWriter progress;

    /**
     * @param startTime when trace 0 starts; the caller passes the wall clock unless the user asked for a fixed time
     * @param progress where progress and the final summary line go (stderr in the CLI)
     */
    public TraceSimulator(
            TraceGenerator generator,
            KafkaSpanWriter writer,
            int workers,
            long seed,
            Instant startTime,
            PrintWriter progress) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        this.generator = generator;
        this.writer = writer;
        this.workers = workers;
        this.seed = seed;
        this.startTime = startTime;
        this.progress = progress;
    }

    /** The random numbers of trace {@code traceIndex} in a run with {@code seed}. */
    public static RandomGenerator randomForTrace(long seed, long traceIndex) {
        // SplittableRandom has 64 bits of state and its first nextLong (the high half of the trace id) is a bijection
        // of the seed, as is the mixing below of the trace index: no two traces of a run share a trace id.
        return new SplittableRandom(mix(seed ^ mix(traceIndex)));
    }

    public static Instant traceStart(Instant runStart, long traceIndex) {
        return runStart.plus(TRACE_SPACING.multipliedBy(traceIndex));
    }

    /**
     * Writes {@code traceCount} traces and waits until Kafka has acknowledged all of their spans.
     *
     * @throws KafkaSendException if Kafka refused a span; the run stops at the next trace
     */
    public SimulationSummary runTraces(long traceCount) {
        if (traceCount < 1) {
            throw new IllegalArgumentException("the trace count must be at least 1, not " + traceCount);
        }
        return run(traceIndex -> traceIndex < traceCount);
    }

    /**
     * Writes traces until {@code duration} has passed and waits until Kafka has acknowledged all of their spans.
     *
     * @throws KafkaSendException if Kafka refused a span; the run stops at the next trace
     */
    public SimulationSummary runFor(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
        long deadline = System.nanoTime() + duration.toNanos();
        return run(traceIndex -> System.nanoTime() - deadline < 0);
    }

    /** Whether trace {@code traceIndex}, the next one up, may still be started. */
    private interface Limit {
        boolean allows(long traceIndex);
    }

    private SimulationSummary run(Limit limit) {
        long startNanos = System.nanoTime();
        AtomicLong nextTraceIndex = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Counters written = new Counters();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(daemonThreads("progress"));
        ExecutorService pool = Executors.newFixedThreadPool(workers, daemonThreads("worker"));
        try {
            ProgressLine progressLine = new ProgressLine(written, startNanos);
            reporter.scheduleAtFixedRate(
                    progressLine::print, PROGRESS_INTERVAL_MILLIS, PROGRESS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    try {
                        work(limit, nextTraceIndex, stop, written);
                    } catch (RuntimeException e) {
                        stop.set(true); // the others finish their current trace and quit
                        throw e;
                    }
                }));
            }
            awaitAll(running, stop);
            writer.flush();
        } finally {
            pool.shutdownNow();
            stopReporting(reporter);
        }
        SimulationSummary summary = new SimulationSummary(
                written.traces.get(),
                written.spans.get(),
                written.failedTraces.get(),
                Duration.ofNanos(System.nanoTime() - startNanos),
                Map.of(generator.testName(), written.traces.get()));
        progress.printf(
                "simulate: done: %d traces (%d with errors), %d spans in %.1f s to topic %s; test name %s,"
                        + " seed %d%n",
                summary.traces(),
                summary.failedTraces(),
                summary.spans(),
                summary.seconds(),
                writer.topic(),
                generator.testName(),
                seed);
        generator
                .samplingProbability()
                .ifPresent(p -> progress.printf(
                        "simulate: sampled at %s: %d of %d requests' traces written%n",
                        p, summary.traces(), summary.traces() + written.unsampledTraces.get()));
        progress.flush();
        return summary;
    }

    private void work(Limit limit, AtomicLong nextTraceIndex, AtomicBoolean stop, Counters written) {
        while (!stop.get()) {
            // an index is taken only after the limit allowed it, so every index taken is written: taking it first
            // and checking after, a worker could take k, lose the processor until the run's time is up and skip k
            // while another worker had already written k + 1
            long traceIndex = nextTraceIndex.get();
            if (!limit.allows(traceIndex)) {
                return;
            }
            if (!nextTraceIndex.compareAndSet(traceIndex, traceIndex + 1)) {
                continue; // another worker took it: check the next one
            }
            if (!sampled(traceIndex)) {
                written.unsampledTraces.incrementAndGet();
                continue;
            }
            GeneratedTrace trace =
                    generator.generate(traceIndex, randomForTrace(seed, traceIndex), traceStart(startTime, traceIndex));
            writer.write(trace);
            written.traces.incrementAndGet();
            written.spans.addAndGet(trace.spans().size());
            if (trace.failed()) {
                written.failedTraces.incrementAndGet();
            }
        }
    }

    /**
     * Whether trace {@code traceIndex} is kept at the generator's sampling probability. The draw has a random stream
     * of its own, so a kept trace is the very trace an unsampled run with the same seed writes.
     */
    private boolean sampled(long traceIndex) {
        return generator
                .samplingProbability()
                .map(p -> randomForTrace(seed ^ SAMPLING_SALT, traceIndex).nextDouble() < p)
                .orElse(true);
    }

    /** Stops the progress lines so that none comes after the summary line. */
    private static void stopReporting(ScheduledExecutorService reporter) {
        reporter.shutdownNow();
        try {
            reporter.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for every worker; the first one to fail stops the others and its exception is rethrown. */
    private static void awaitAll(List<Future<?>> running, AtomicBoolean stop) {
        RuntimeException firstFailure = null;
        for (Future<?> worker : running) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                if (firstFailure == null) {
                    firstFailure = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new IllegalStateException("a simulator worker failed", e.getCause());
                }
            } catch (InterruptedException e) {
                stop.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the simulator workers", e);
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /** What the workers of one run have handed to the writer so far. */
    private static final class Counters {
        final AtomicLong traces = new AtomicLong();
        final AtomicLong spans = new AtomicLong();
        final AtomicLong failedTraces = new AtomicLong();
        /** traces left out by sampling: generated in the sense of requests made, never written */
        final AtomicLong unsampledTraces = new AtomicLong();
    }

    /** One line per interval: totals so far, and the rate over the last interval. */
    private final class ProgressLine {
        private final Counters written;
        private long lastNanos;
        private long lastTraces;
        private long lastSpans;

        ProgressLine(Counters written, long startNanos) {
            this.written = written;
            this.lastNanos = startNanos;
        }

        void print() {
            long now = System.nanoTime();
            long traces = written.traces.get();
            long spans = written.spans.get();
            double seconds = (now - lastNanos) / 1e9;
            progress.printf(
                    "simulate: %d traces, %d spans sent; %.0f traces/s, %.0f spans/s%n",
                    traces, spans, (traces - lastTraces) / seconds, (spans - lastSpans) / seconds);
            progress.flush();
            lastNanos = now;
            lastTraces = traces;
            lastSpans = spans;
        }
    }

    private static ThreadFactory daemonThreads(String role) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "simulator-" + role + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A bijective 64-bit mixer (the SplitMix64 finalizer): nearby inputs give unrelated outputs. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
