package org.tracefeatures.trace.features;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.SpanCounts;
import org.tracefeatures.trace.Trace;

/**
 * The features of one trace (issue "Trace features beyond span counts"), all computed at once by
 * {@link #of(Trace)}. Plain Java: the Flink UDFs wrap the getters.
 *
 * <p>Terms, as {@link Trace} defines them: a <b>root</b> has no parent reference; an <b>orphan</b>
 * references a parent that is not in the trace (it is not a root); parent links may form
 * <b>cycles</b>, a span referencing itself included. A span is <b>cycle-bound</b> when following
 * its parent links never reaches a root or an orphan (it is in a cycle or below one).
 *
 * <h2>Definitions</h2>
 *
 * <ul>
 *   <li><b>top span</b>: the earliest root; with no root, the earliest orphan; with neither
 *       (everything cycle-bound), the earliest span. "Earliest" is the order of {@link
 *       Trace#spans()} (start time, then span id). {@link #getRootService()}, {@link
 *       #getRootOperation()}, {@link #getRootDurationMicros()} and the critical path are the top
 *       span's. {@link #getRootCount()} counts real roots only (0 when an orphan or a cycle member
 *       stands in).
 *   <li><b>durationMicros</b>: latest {@link Span#endMicros()} minus earliest start.
 *   <li><b>spanCount</b> (after de-duplication by {@link Trace#of}), <b>serviceCount</b> (distinct
 *       services), <b>operationCount</b> (distinct {@link Span#serviceOperation()}).
 *   <li><b>errorCount</b>: spans with {@code error} set; <b>errorServices</b>: their distinct
 *       services, sorted.
 *   <li><b>subtree tops</b> for depth: every root and every orphan (an orphan heads a fragment whose
 *       real top is missing, so its chain is a lower bound of the real one); if there are neither,
 *       the top span. Cycle-bound spans are below no subtree top and take no part in depth unless
 *       the top span is one of them; a walk from such a top stops where the cycle returns to a span
 *       already walked.
 *   <li><b>depth</b>: the longest chain, counted in spans, from a subtree top down to a descendant
 *       (a lone span has depth 1), maximised over all subtree tops and over all children, whatever
 *       the reference type ({@code FOLLOWS_FROM} children count).
 *   <li><b>serviceDepth</b>: the largest number of service hops on any such top-to-descendant chain,
 *       where a run of consecutive spans of one service counts once (a lone span: 1). It is
 *       maximised independently of depth, so its chain need not be the deepest one (no tie-break
 *       between chains is needed).
 *   <li><b>maxFanOut</b>: the largest number of direct children of one span, all reference types; a
 *       self-reference is not counted as the span's own child.
 *   <li><b>orphanSpanCount</b>: orphans plus cycle-bound spans. Descendants of an orphan are not
 *       counted (they reach an orphan; no cycle keeps them from the top). Any cycle-bound span adds
 *       the warning {@value #WARNING_CYCLE} to {@link #getWarnings()}.
 *   <li><b>network latency</b>: for every parent/child pair where the parent's kind is {@code
 *       client}, the child's kind is {@code server} and the services differ: {@code max(0,
 *       server start - client start)}; max and mean over those pairs, null when there is none.
 *   <li><b>criticalPath</b>: "service::operation" to the microseconds its spans own on the top
 *       span's critical path, as {@link CriticalPath} computes it (the Jaeger UI's semantics;
 *       gaps where no child runs belong to the parent). Only entries with positive time appear; the
 *       values add up to exactly {@link #getRootDurationMicros()}. Only the top span's path: other
 *       roots are not on it. <b>criticalPathServices</b>: the same summed per service.
 *   <li><b>spanCounts</b>: "service::operation" to number of spans.
 *   <li><b>patternId</b> and <b>patternShape</b>: the call tree's shape, as {@link TracePattern} defines it.
 * </ul>
 *
 * <p>A null service is keyed as {@code "null"} in {@link #getErrorServices()} and {@link
 * #getCriticalPathServices()}, as {@link Span#serviceOperation()} already does. An empty trace has
 * null root service, operation and pattern, zeros, empty collections and null latencies.
 *
 * <p>Every walk is iterative and linear, apart from the critical path's {@code O(n log n)} sort, so
 * traces of any depth or fan-out neither overflow the stack nor hang on cycles.
 */
public final class TraceFeatures {
    public static final String WARNING_CYCLE = "cycle";

    private String rootService;
    private String rootOperation;
    private long rootDurationMicros;
    private int rootCount;
    private long durationMicros;
    private int spanCount;
    private int serviceCount;
    private int operationCount;
    private int errorCount;
    private List<String> errorServices = List.of();
    private int depth;
    private int serviceDepth;
    private int maxFanOut;
    private int orphanSpanCount;
    private List<String> warnings = List.of();
    private Long networkLatencyMaxMicros;
    private Double networkLatencyAvgMicros;
    private Map<String, Long> criticalPath = Map.of();
    private Map<String, Long> criticalPathServices = Map.of();
    private Map<String, Long> spanCounts = Map.of();
    private String patternId;
    private String patternShape;

    private TraceFeatures() {}

    public static TraceFeatures of(Trace trace) {
        TraceFeatures f = new TraceFeatures();
        int n = trace.size();
        f.spanCount = n;
        if (n == 0) {
            return f;
        }
        f.counts(trace);
        f.timing(trace);
        int top = f.shape(trace);
        Span topSpan = trace.span(top);
        f.rootService = topSpan.service;
        f.rootOperation = topSpan.operation;
        f.rootDurationMicros = topSpan.endMicros() - topSpan.startMicros;
        f.networkLatency(trace);
        f.criticalPath(trace, top);
        TracePattern pattern = TracePattern.of(trace);
        f.patternId = pattern.id();
        f.patternShape = pattern.readable();
        return f;
    }

    private void counts(Trace trace) {
        Set<String> services = new HashSet<>();
        Set<String> errorServiceSet = new TreeSet<>();
        for (int i = 0; i < trace.size(); i++) {
            Span span = trace.span(i);
            services.add(span.service);
            if (span.error) {
                errorCount++;
                errorServiceSet.add(String.valueOf(span.service));
            }
            int fanOut = trace.children(i).length;
            for (int c : trace.children(i)) {
                if (c == i) {
                    fanOut--; // a self-reference is a cycle, not a child
                }
            }
            maxFanOut = Math.max(maxFanOut, fanOut);
        }
        serviceCount = services.size();
        spanCounts = Collections.unmodifiableMap(SpanCounts.of(trace.spans()));
        operationCount = spanCounts.size();
        errorServices = List.copyOf(errorServiceSet);
    }

    private void timing(Trace trace) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Span span : trace.spans()) {
            start = Math.min(start, span.startMicros);
            end = Math.max(end, span.endMicros());
        }
        durationMicros = end - start;
    }

    /** Roots, orphans, cycles, depth and service depth; returns the top span's index. */
    private int shape(Trace trace) {
        int n = trace.size();
        int firstRoot = -1;
        int firstOrphan = -1;
        List<Integer> tops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (trace.isRoot(i)) {
                rootCount++;
                tops.add(i);
                if (firstRoot < 0) {
                    firstRoot = i;
                }
            } else if (trace.isOrphan(i)) {
                orphanSpanCount++;
                tops.add(i);
                if (firstOrphan < 0) {
                    firstOrphan = i;
                }
            }
        }

        int[] chainSpans = new int[n]; // 0 = not reached yet
        int[] chainServices = new int[n];
        int reached = 0;
        for (int t : tops) {
            reached += walkDown(trace, t, chainSpans, chainServices);
        }
        int cycleBound = n - reached;
        if (cycleBound > 0) {
            orphanSpanCount += cycleBound;
            warnings = List.of(WARNING_CYCLE);
        }

        int top = firstRoot >= 0 ? firstRoot : firstOrphan >= 0 ? firstOrphan : 0;
        if (chainSpans[top] == 0) {
            walkDown(trace, top, chainSpans, chainServices); // everything is cycle-bound
        }
        for (int i = 0; i < n; i++) {
            depth = Math.max(depth, chainSpans[i]);
            serviceDepth = Math.max(serviceDepth, chainServices[i]);
        }
        return top;
    }

    /**
     * Breadth-first from {@code top}, filling chain lengths in spans and in service hops for every
     * span reached for the first time; returns how many that were.
     */
    private static int walkDown(Trace trace, int top, int[] chainSpans, int[] chainServices) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        chainSpans[top] = 1;
        chainServices[top] = 1;
        queue.add(top);
        int reached = 1;
        while (!queue.isEmpty()) {
            int parent = queue.poll();
            String parentService = trace.span(parent).service;
            for (int c : trace.children(parent)) {
                if (chainSpans[c] != 0) {
                    continue; // only possible through a cycle
                }
                chainSpans[c] = chainSpans[parent] + 1;
                chainServices[c] =
                        chainServices[parent] + (Objects.equals(parentService, trace.span(c).service) ? 0 : 1);
                queue.add(c);
                reached++;
            }
        }
        return reached;
    }

    private void networkLatency(Trace trace) {
        long max = Long.MIN_VALUE;
        long sum = 0;
        long pairs = 0;
        for (int i = 0; i < trace.size(); i++) {
            Span client = trace.span(i);
            if (!Span.KIND_CLIENT.equals(client.spanKind)) {
                continue;
            }
            for (int c : trace.children(i)) {
                Span server = trace.span(c);
                if (Span.KIND_SERVER.equals(server.spanKind) && !Objects.equals(client.service, server.service)) {
                    long latency = Math.max(0, server.startMicros - client.startMicros);
                    max = Math.max(max, latency);
                    sum += latency;
                    pairs++;
                }
            }
        }
        if (pairs > 0) {
            networkLatencyMaxMicros = max;
            networkLatencyAvgMicros = (double) sum / pairs;
        }
    }

    private void criticalPath(Trace trace, int top) {
        long[] owned = CriticalPath.ownedMicros(trace, top);
        Map<String, Long> perOperation = new TreeMap<>();
        Map<String, Long> perService = new TreeMap<>();
        for (int i = 0; i < owned.length; i++) {
            if (owned[i] > 0) {
                Span span = trace.span(i);
                perOperation.merge(span.serviceOperation(), owned[i], Long::sum);
                perService.merge(String.valueOf(span.service), owned[i], Long::sum);
            }
        }
        criticalPath = Collections.unmodifiableMap(perOperation);
        criticalPathServices = Collections.unmodifiableMap(perService);
    }

    /** Service of the top span (see class comment); null for an empty trace. */
    public String getRootService() {
        return rootService;
    }

    /** Operation of the top span; null for an empty trace. */
    public String getRootOperation() {
        return rootOperation;
    }

    /** Duration of the top span (a negative duration counts as 0). */
    public long getRootDurationMicros() {
        return rootDurationMicros;
    }

    /** Number of spans without a parent reference. */
    public int getRootCount() {
        return rootCount;
    }

    /** Latest span end minus earliest span start. */
    public long getDurationMicros() {
        return durationMicros;
    }

    public int getSpanCount() {
        return spanCount;
    }

    public int getServiceCount() {
        return serviceCount;
    }

    /** Distinct service::operation pairs. */
    public int getOperationCount() {
        return operationCount;
    }

    public int getErrorCount() {
        return errorCount;
    }

    /** Distinct services with an error span, sorted. */
    public List<String> getErrorServices() {
        return errorServices;
    }

    /** Longest top-to-descendant chain in spans. */
    public int getDepth() {
        return depth;
    }

    /** Most service hops on a top-to-descendant chain. */
    public int getServiceDepth() {
        return serviceDepth;
    }

    public int getMaxFanOut() {
        return maxFanOut;
    }

    /** Orphans plus spans kept from every root and orphan by a reference cycle. */
    public int getOrphanSpanCount() {
        return orphanSpanCount;
    }

    /** {@value #WARNING_CYCLE} when parent links form a cycle; otherwise empty. */
    public List<String> getWarnings() {
        return warnings;
    }

    /** Largest client-to-server latency, or null when no client span has a server child. */
    public Long getNetworkLatencyMaxMicros() {
        return networkLatencyMaxMicros;
    }

    /** Mean client-to-server latency, or null when no client span has a server child. */
    public Double getNetworkLatencyAvgMicros() {
        return networkLatencyAvgMicros;
    }

    /** service::operation to microseconds on the top span's critical path (sorted by key). */
    public Map<String, Long> getCriticalPath() {
        return criticalPath;
    }

    /** Service to microseconds on the top span's critical path (sorted by key). */
    public Map<String, Long> getCriticalPathServices() {
        return criticalPathServices;
    }

    /** service::operation to number of spans (sorted by key). */
    public Map<String, Long> getSpanCounts() {
        return spanCounts;
    }

    public String getPatternId() {
        return patternId;
    }

    public String getPatternShape() {
        return patternShape;
    }

    @Override
    public String toString() {
        return "TraceFeatures{root="
                + rootService
                + "::"
                + rootOperation
                + ", rootDurationMicros="
                + rootDurationMicros
                + ", rootCount="
                + rootCount
                + ", durationMicros="
                + durationMicros
                + ", spanCount="
                + spanCount
                + ", serviceCount="
                + serviceCount
                + ", operationCount="
                + operationCount
                + ", errorCount="
                + errorCount
                + ", errorServices="
                + errorServices
                + ", depth="
                + depth
                + ", serviceDepth="
                + serviceDepth
                + ", maxFanOut="
                + maxFanOut
                + ", orphanSpanCount="
                + orphanSpanCount
                + ", warnings="
                + warnings
                + ", networkLatencyMaxMicros="
                + networkLatencyMaxMicros
                + ", networkLatencyAvgMicros="
                + networkLatencyAvgMicros
                + ", criticalPath="
                + criticalPath
                + ", criticalPathServices="
                + criticalPathServices
                + ", spanCounts="
                + spanCounts
                + '}';
    }
}
