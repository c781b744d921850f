package org.tracefeatures.simulator;

import static org.tracefeatures.jaeger.JaegerProtos.duration;
import static org.tracefeatures.jaeger.JaegerProtos.stringTag;
import static org.tracefeatures.jaeger.JaegerProtos.timestamp;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Log;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.jaegertracing.api_v2.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * Simulates one request through a {@link SimulatorConfig}'s architecture and returns the spans Jaeger would have
 * received, shaped as microsim's instrumentation makes them.
 *
 * <p>The trace: a root span {@value #ROOT_OPERATION} in service {@value #TEST_EXECUTOR_SERVICE} (tag
 * {@code test_name}) calls the config's root endpoint. Every call is a client span {@value #CLIENT_OPERATION}
 * ({@code span.kind=client}) in the caller's service, child of the caller's current span, whose child is a server
 * span named after the endpoint ({@code span.kind=server}) in the callee's service. A call to a service with
 * {@code "Instrumented": false} is the client span alone, lasting the endpoint's work plus the network latency both
 * ways; the client span carries the callee's {@code ClientTags} (its {@code span.kind} one, such as {@code producer},
 * in place of {@code client}).
 *
 * <p>Timing is simulated, nothing sleeps. As in microsim, a server span first runs its dependencies and then does its
 * own work, drawn from Normal(Mean, StdDev) and clipped at 0; if a dependency failed it skips its own work. A client
 * span starts {@link #NETWORK_LATENCY_NANOS} before its server span and ends as long after it. The items of a Seq
 * are {@link #SEQUENTIAL_CALL_GAP_NANOS} apart. The root span starts with its client span and ends with it.
 *
 * <p>Process tags: {@value #INSTANCE_TAG} always; {@value #VERSION_TAG} for a service with a {@code Version},
 * {@value #ENVIRONMENT_TAG} for every process when the config has an {@code Environment}.
 *
 * <p>Failures: after its own work an endpoint fails with its {@code Failure.Probability}; its server span gets
 * {@code error=true} and a log {@code event=error, message=<one of Failure.Messages>}. The error travels back up:
 * the client span and every caller's span up to the root get {@code error=true}.
 *
 * <p>Instances: each call picks the callee's instance round-robin; in trace {@code k} each service's round-robin
 * starts at instance {@code k mod Count}, so successive traces start on successive instances, and a trace never
 * depends on any other trace. The test executor is always {@value #TEST_EXECUTOR_INSTANCE}.
 *
 * <p>Ids and random choices come only from the {@link RandomGenerator} passed in, in a fixed order, so the same
 * generator state gives the same bytes. Instances are immutable and may be shared by threads.
 */
public final class TraceGenerator {

    public static final String TEST_EXECUTOR_SERVICE = "test-executor";
    /** One executor whatever the number of workers, so the spans do not depend on how many ran. */
    public static final String TEST_EXECUTOR_INSTANCE = TEST_EXECUTOR_SERVICE + "-0";

    public static final String ROOT_OPERATION = "runTest";
    public static final String CLIENT_OPERATION = "HTTP GET";
    public static final String INSTANCE_TAG = "service-instance";
    public static final String TEST_NAME_TAG = "test_name";
    public static final String VERSION_TAG = "service.version";
    public static final String ENVIRONMENT_TAG = "deployment.environment";
    /** The root span's tags with which Jaeger clients record a probabilistic sampling decision. */
    public static final String SAMPLER_TYPE_TAG = "sampler.type";

    public static final String SAMPLER_PARAM_TAG = "sampler.param";
    /**
     * One-way network time of a call: a local hop, so that client spans are visibly longer than their server
     * spans without distorting the endpoint latencies the config asks for.
     */
    public static final long NETWORK_LATENCY_NANOS = 50_000L;
    /**
     * Time a caller spends between two calls of a Seq (reading one response, preparing the next request), as any
     * real caller does. Without it a call would end in the very microsecond the next starts, and the Jaeger UI's
     * critical path, which looks for the child that ends strictly before the next one starts, would skip it.
     */
    public static final long SEQUENTIAL_CALL_GAP_NANOS = 10_000L;

    /** Jaeger's "sampled" flag: what a client sets on every span it reports. */
    private static final int SAMPLED_FLAG = 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final SimulatorConfig config;
    private final String testName;
    /** null: the traces say nothing of sampling */
    private final Double samplingProbability;

    private final Map<String, List<Process>> processesByService = new HashMap<>();
    private final Process testExecutorProcess;

    public TraceGenerator(SimulatorConfig config, String testName) {
        this(config, testName, null);
    }

    /**
     * @param samplingProbability when not null, the root span records a probabilistic sampling decision at this
     *     probability ({@value #SAMPLER_TYPE_TAG}=probabilistic, {@value #SAMPLER_PARAM_TAG}=p), as Jaeger clients
     *     do; which traces are kept is {@link TraceSimulator}'s choice
     */
    public TraceGenerator(SimulatorConfig config, String testName, Double samplingProbability) {
        if (samplingProbability != null && !(samplingProbability > 0 && samplingProbability <= 1)) {
            throw new IllegalArgumentException(
                    "a sampling probability is above 0 and at most 1, not " + samplingProbability);
        }
        this.config = config;
        this.testName = testName;
        this.samplingProbability = samplingProbability;
        for (SimulatorConfig.Service service : config.services()) {
            List<Process> instances = new ArrayList<>();
            for (int i = 0; i < service.count(); i++) {
                instances.add(process(service.name(), service.name() + "-" + i, service.version()));
            }
            processesByService.put(service.name(), List.copyOf(instances));
        }
        testExecutorProcess = process(TEST_EXECUTOR_SERVICE, TEST_EXECUTOR_INSTANCE, Optional.empty());
    }

    public String testName() {
        return testName;
    }

    /** The probability the root span records, if any. */
    public Optional<Double> samplingProbability() {
        return Optional.ofNullable(samplingProbability);
    }

    /**
     * @param traceIndex which trace of the run this is: it picks where the instance round-robin starts
     * @param random the only source of ids, latencies and failures
     * @param start when the root span starts
     */
    public GeneratedTrace generate(long traceIndex, RandomGenerator random, Instant start) {
        return new TraceBuilder(traceIndex, random).build(start.getEpochSecond() * NANOS_PER_SECOND + start.getNano());
    }

    private Process process(String serviceName, String instanceName, Optional<String> version) {
        Process.Builder process =
                Process.newBuilder().setServiceName(serviceName).addTags(stringTag(INSTANCE_TAG, instanceName));
        version.ifPresent(v -> process.addTags(stringTag(VERSION_TAG, v)));
        config.environment().ifPresent(environment -> process.addTags(stringTag(ENVIRONMENT_TAG, environment)));
        return process.build();
    }

    /** The state of one trace while it is being simulated. */
    private final class TraceBuilder {
        private final long traceIndex;
        private final RandomGenerator random;
        private final long traceIdHigh;
        private final long traceIdLow;
        private final ByteString traceId;
        private final Map<String, Integer> callsPerService = new LinkedHashMap<>();
        /** in the order they were completed here: every span after its children */
        private final List<FinishedSpan> finished = new ArrayList<>();

        TraceBuilder(long traceIndex, RandomGenerator random) {
            this.traceIndex = traceIndex;
            this.random = random;
            long high = random.nextLong();
            long low = random.nextLong();
            if (high == 0 && low == 0) {
                low = 1; // an all-zero trace id is invalid in Jaeger
            }
            this.traceIdHigh = high;
            this.traceIdLow = low;
            this.traceId = ByteString.copyFrom(JaegerIds.traceIdBytes(high, low));
        }

        GeneratedTrace build(long startNanos) {
            long rootSpanId = newSpanId();
            Outcome call = call(rootSpanId, testExecutorProcess, config.root(), startNanos);
            List<KeyValue> tags = new ArrayList<>();
            tags.add(stringTag(TEST_NAME_TAG, testName));
            if (samplingProbability != null) {
                tags.add(stringTag(SAMPLER_TYPE_TAG, "probabilistic"));
                tags.add(stringTag(SAMPLER_PARAM_TAG, String.valueOf(samplingProbability)));
            }
            if (call.failed()) {
                tags.add(errorTag());
            }
            finished.add(new FinishedSpan(
                    call.endNanos(),
                    span(
                            rootSpanId,
                            0,
                            ROOT_OPERATION,
                            testExecutorProcess,
                            startNanos,
                            call.endNanos(),
                            tags,
                            List.of())));
            // Stable: spans that end at the same instant keep children before parents.
            finished.sort(Comparator.comparingLong(FinishedSpan::endNanos));
            return new GeneratedTrace(
                    traceIdHigh,
                    traceIdLow,
                    finished.stream().map(FinishedSpan::span).toList(),
                    call.failed());
        }

        private Outcome run(Dependency dependency, long parentSpanId, Process caller, long startNanos) {
            if (dependency instanceof Dependency.Call call) {
                return call(parentSpanId, caller, call, startNanos);
            }
            if (dependency instanceof Dependency.Sequence sequence) {
                long time = startNanos;
                for (Dependency item : sequence.items()) {
                    if (time != startNanos) {
                        time += SEQUENTIAL_CALL_GAP_NANOS;
                    }
                    Outcome outcome = run(item, parentSpanId, caller, time);
                    time = outcome.endNanos();
                    if (outcome.failed()) {
                        return outcome;
                    }
                }
                return new Outcome(time, false);
            }
            Dependency.Parallel parallel = (Dependency.Parallel) dependency;
            // Like a pool of MaxPar workers fed in list order: each item starts on the lane that frees up first.
            long[] laneFreeAt = new long[parallel.lanes()];
            Arrays.fill(laneFreeAt, startNanos);
            long end = startNanos;
            boolean failed = false;
            for (Dependency item : parallel.items()) {
                int lane = earliestFree(laneFreeAt);
                Outcome outcome = run(item, parentSpanId, caller, laneFreeAt[lane]);
                laneFreeAt[lane] = outcome.endNanos();
                end = Math.max(end, outcome.endNanos());
                failed |= outcome.failed();
            }
            return new Outcome(end, failed);
        }

        /** A client span in the caller and, inside it, the server span of the called endpoint. */
        private Outcome call(long parentSpanId, Process caller, Dependency.Call target, long clientStartNanos) {
            long clientSpanId = newSpanId();
            SimulatorConfig.Service service = config.service(target.service());
            SimulatorConfig.Endpoint endpoint =
                    service.endpoint(target.endpoint()).orElseThrow();
            Outcome served = service.instrumented()
                    ? serve(clientSpanId, nextInstance(service), endpoint, clientStartNanos + NETWORK_LATENCY_NANOS)
                    : unseen(endpoint, clientStartNanos + NETWORK_LATENCY_NANOS);
            long clientEndNanos = served.endNanos() + NETWORK_LATENCY_NANOS;
            List<KeyValue> tags = new ArrayList<>();
            tags.add(stringTag("span.kind", service.clientTags().getOrDefault("span.kind", "client")));
            service.clientTags().forEach((key, value) -> {
                if (!key.equals("span.kind")) {
                    tags.add(stringTag(key, value));
                }
            });
            if (served.failed()) {
                tags.add(errorTag());
            }
            finished.add(new FinishedSpan(
                    clientEndNanos,
                    span(
                            clientSpanId,
                            parentSpanId,
                            CLIENT_OPERATION,
                            caller,
                            clientStartNanos,
                            clientEndNanos,
                            tags,
                            List.of())));
            return new Outcome(clientEndNanos, served.failed());
        }

        /** The work of an endpoint of a service that reports no spans: its latency and failure, and no span. */
        private Outcome unseen(SimulatorConfig.Endpoint endpoint, long startNanos) {
            long end = startNanos + workNanos(endpoint.latency());
            return new Outcome(end, random.nextDouble() < endpoint.failure().probability());
        }

        private Outcome serve(long parentSpanId, Process process, SimulatorConfig.Endpoint endpoint, long startNanos) {
            long spanId = newSpanId();
            long time = startNanos;
            boolean dependencyFailed = false;
            if (endpoint.depends().isPresent()) {
                Outcome dependencies = run(endpoint.depends().get(), spanId, process, startNanos);
                time = dependencies.endNanos();
                dependencyFailed = dependencies.failed();
            }
            List<KeyValue> tags = new ArrayList<>();
            tags.add(stringTag("span.kind", "server"));
            List<Log> logs = new ArrayList<>();
            boolean failed = dependencyFailed;
            if (!dependencyFailed) {
                time += workNanos(endpoint.latency());
                SimulatorConfig.Failure failure = endpoint.failure();
                if (random.nextDouble() < failure.probability()) {
                    failed = true;
                    String message = failure.messages()
                            .get(random.nextInt(failure.messages().size()));
                    logs.add(Log.newBuilder()
                            .setTimestamp(timestamp(time))
                            .addFields(stringTag("event", "error"))
                            .addFields(stringTag("message", message))
                            .build());
                }
            }
            if (failed) {
                tags.add(errorTag());
            }
            finished.add(new FinishedSpan(
                    time, span(spanId, parentSpanId, endpoint.name(), process, startNanos, time, tags, logs)));
            return new Outcome(time, failed);
        }

        private long workNanos(SimulatorConfig.Latency latency) {
            double drawn = latency.meanNanos() + latency.stdDevNanos() * random.nextGaussian();
            return Math.max(0, Math.round(drawn));
        }

        private Process nextInstance(SimulatorConfig.Service service) {
            int callsSoFar = callsPerService.merge(service.name(), 1, Integer::sum) - 1;
            int instance = (int) Math.floorMod(traceIndex + callsSoFar, (long) service.count());
            return processesByService.get(service.name()).get(instance);
        }

        private long newSpanId() {
            long spanId;
            do {
                spanId = random.nextLong();
            } while (spanId == 0); // span id 0 is invalid in Jaeger
            return spanId;
        }

        private Span span(
                long spanId,
                long parentSpanId,
                String operation,
                Process process,
                long startNanos,
                long endNanos,
                List<KeyValue> tags,
                List<Log> logs) {
            Span.Builder span = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(JaegerIds.spanIdBytes(spanId)))
                    .setOperationName(operation)
                    .setFlags(SAMPLED_FLAG)
                    .setStartTime(timestamp(startNanos))
                    .setDuration(duration(endNanos - startNanos))
                    .addAllTags(tags)
                    .addAllLogs(logs)
                    .setProcess(process);
            if (parentSpanId != 0) {
                span.addReferences(SpanRef.newBuilder()
                        .setTraceId(traceId)
                        .setSpanId(ByteString.copyFrom(JaegerIds.spanIdBytes(parentSpanId)))
                        .setRefType(SpanRefType.CHILD_OF));
            }
            return span.build();
        }
    }

    private static int earliestFree(long[] laneFreeAt) {
        int earliest = 0;
        for (int lane = 1; lane < laneFreeAt.length; lane++) {
            if (laneFreeAt[lane] < laneFreeAt[earliest]) {
                earliest = lane;
            }
        }
        return earliest;
    }

    private static KeyValue errorTag() {
        return KeyValue.newBuilder()
                .setKey("error")
                .setVType(ValueType.BOOL)
                .setVBool(true)
                .build();
    }

    /** When a call, sequence or parallel group ended, and whether an error came out of it. */
    private record Outcome(long endNanos, boolean failed) {}

    private record FinishedSpan(long endNanos, Span span) {}
}
