package org.tracefeatures.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of one trace, deduplicated and linked to their parents, with the parent/child index that
 * feature calculators walk. Spans are addressed by their index in {@link #spans()}, which is sorted by
 * start time, so that every feature is independent of the order in which spans arrived.
 *
 * <p>A span whose parent reference points at a span of the trace has that span as parent; one whose
 * parent is missing from the trace is an orphan; one without a parent reference is a root. Parent
 * links may form cycles (bad instrumentation): {@link #parentIndex} reports them as they are, and
 * every walk over the tree must guard against them.
 */
public final class Trace {
    public static final int NO_PARENT = -1;
    /** The order of {@link #spans()}: start time, then span id, kind and service. */
    public static final Comparator<Span> START_ORDER = Comparator.comparingLong((Span s) -> s.startMicros)
            .thenComparing(s -> s.spanId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> String.valueOf(s.spanKind))
            .thenComparing(s -> String.valueOf(s.service));

    private final Span[] spans;
    private final int[] parent;
    private final boolean[] orphan;
    private final int[][] children;

    private Trace(Span[] spans) {
        this.spans = spans;
        int n = spans.length;
        this.parent = new int[n];
        this.orphan = new boolean[n];

        Map<String, Integer> byId = indexById(spans);
        Map<String, Integer> clientById = indexClientsById(spans);
        int[] childCount = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = NO_PARENT;
            Span span = spans[i];
            Integer sharedIdClient = Span.KIND_SERVER.equals(span.spanKind) ? clientById.get(span.spanId) : null;
            if (sharedIdClient != null) {
                // Zipkin-style shared id: the server half is the child of the client half, as the
                // Jaeger UI's span-id deduplication makes it.
                parent[i] = sharedIdClient;
            } else if (span.parentSpanId != null) {
                Integer p = byId.get(span.parentSpanId);
                if (p == null) {
                    orphan[i] = true;
                } else {
                    parent[i] = p;
                }
            }
            if (parent[i] != NO_PARENT) {
                childCount[parent[i]]++;
            }
        }
        this.children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] = new int[childCount[i]];
        }
        int[] filled = new int[n];
        for (int i = 0; i < n; i++) {
            int p = parent[i];
            if (p != NO_PARENT) {
                children[p][filled[p]++] = i;
            }
        }
    }

    /** Builds a trace, dropping repeated deliveries of one span (see {@link Span#identity()}). */
    public static Trace of(Collection<Span> spans) {
        Map<String, Span> unique = new LinkedHashMap<>();
        for (Span span : spans) {
            unique.putIfAbsent(span.identity(), span);
        }
        Span[] sorted = unique.values().toArray(new Span[0]);
        Arrays.sort(sorted, START_ORDER);
        return new Trace(sorted);
    }

    public static Trace of(Span... spans) {
        return of(Arrays.asList(spans));
    }

    /**
     * Span id to the span that other spans mean when they reference that id: where a client and a
     * server span share an id, the server span, which is where the callee's children hang.
     */
    private static Map<String, Integer> indexById(Span[] spans) {
        Map<String, Integer> byId = new HashMap<>(spans.length * 2);
        for (int i = 0; i < spans.length; i++) {
            Integer previous = byId.putIfAbsent(spans[i].spanId, i);
            if (previous != null && Span.KIND_SERVER.equals(spans[i].spanKind)) {
                byId.put(spans[i].spanId, i);
            }
        }
        return byId;
    }

    private static Map<String, Integer> indexClientsById(Span[] spans) {
        Map<String, Integer> clients = new HashMap<>();
        for (int i = 0; i < spans.length; i++) {
            if (Span.KIND_CLIENT.equals(spans[i].spanKind)) {
                clients.putIfAbsent(spans[i].spanId, i);
            }
        }
        return clients;
    }

    public int size() {
        return spans.length;
    }

    public Span span(int i) {
        return spans[i];
    }

    public List<Span> spans() {
        return Collections.unmodifiableList(Arrays.asList(spans));
    }

    /** The parent's index, or {@link #NO_PARENT} for roots and orphans; may be part of a cycle. */
    public int parentIndex(int i) {
        return parent[i];
    }

    /** No parent reference at all. */
    public boolean isRoot(int i) {
        return parent[i] == NO_PARENT && !orphan[i];
    }

    /** A parent reference to a span that is not in the trace. */
    public boolean isOrphan(int i) {
        return orphan[i];
    }

    /** Indexes of the direct children, in start order. The array is the trace's own: read it only. */
    public int[] children(int i) {
        return children[i];
    }

    /** Indexes of all roots, in start order. */
    public int[] roots() {
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < spans.length; i++) {
            if (isRoot(i)) {
                roots.add(i);
            }
        }
        return roots.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Earliest span start, or 0 for an empty trace. */
    public long startMicros() {
        return spans.length == 0 ? 0 : spans[0].startMicros;
    }

    /** Latest span end, or 0 for an empty trace. */
    public long endMicros() {
        if (spans.length == 0) {
            return 0;
        }
        long end = Long.MIN_VALUE;
        for (Span span : spans) {
            end = Math.max(end, span.endMicros());
        }
        return end;
    }
}
