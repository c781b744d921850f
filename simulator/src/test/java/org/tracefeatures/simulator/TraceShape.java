package org.tracefeatures.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRefType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The parent/child structure of a trace, worked out from nothing but its protobuf spans. */
final class TraceShape {

    final List<Span> spans;
    final Span root;
    private final Map<ByteString, Span> byId = new HashMap<>();
    private final Map<ByteString, List<Span>> children = new HashMap<>();

    private TraceShape(List<Span> spans) {
        this.spans = spans;
        Span foundRoot = null;
        for (Span span : spans) {
            assertThat(byId.put(span.getSpanId(), span))
                    .as("span ids are unique")
                    .isNull();
        }
        for (Span span : spans) {
            if (span.getReferencesCount() == 0) {
                assertThat(foundRoot).as("a trace has one root span").isNull();
                foundRoot = span;
            } else {
                assertThat(span.getReferencesCount()).isEqualTo(1);
                assertThat(span.getReferences(0).getRefType()).isEqualTo(SpanRefType.CHILD_OF);
                assertThat(span.getReferences(0).getTraceId()).isEqualTo(span.getTraceId());
                ByteString parentId = span.getReferences(0).getSpanId();
                assertThat(byId)
                        .as("the parent of %s is in the trace", span.getOperationName())
                        .containsKey(parentId);
                children.computeIfAbsent(parentId, id -> new ArrayList<>()).add(span);
            }
        }
        assertThat(foundRoot).as("a trace has a root span").isNotNull();
        this.root = foundRoot;
    }

    static TraceShape of(List<Span> spans) {
        return new TraceShape(spans);
    }

    Span parentOf(Span span) {
        return byId.get(span.getReferences(0).getSpanId());
    }

    /** Children in the order they started. */
    List<Span> childrenOf(Span span) {
        List<Span> result = new ArrayList<>(children.getOrDefault(span.getSpanId(), List.of()));
        result.sort(Comparator.comparingLong(TraceShape::startNanos));
        return result;
    }

    /** Spans on the longest root-to-leaf path. */
    int depth() {
        return depth(root);
    }

    private int depth(Span span) {
        return 1 + childrenOf(span).stream().mapToInt(this::depth).max().orElse(0);
    }

    int maxFanOut() {
        return children.values().stream().mapToInt(List::size).max().orElse(0);
    }

    Span widestSpan() {
        return spans.stream()
                .max(Comparator.comparingInt(span -> childrenOf(span).size()))
                .orElseThrow();
    }

    /** "service::operation" to how many spans have it. */
    Map<String, Long> countsByServiceOperation() {
        Map<String, Long> counts = new TreeMap<>();
        spans.forEach(span -> counts.merge(serviceOperation(span), 1L, Long::sum));
        return counts;
    }

    Set<String> services() {
        Set<String> services = new TreeSet<>();
        spans.forEach(span -> services.add(span.getProcess().getServiceName()));
        return services;
    }

    List<Span> withServiceOperation(String serviceOperation) {
        return spans.stream()
                .filter(span -> serviceOperation(span).equals(serviceOperation))
                .toList();
    }

    static String serviceOperation(Span span) {
        return span.getProcess().getServiceName() + "::" + span.getOperationName();
    }

    static long startNanos(Span span) {
        return span.getStartTime().getSeconds() * 1_000_000_000L
                + span.getStartTime().getNanos();
    }

    static long endNanos(Span span) {
        return startNanos(span)
                + span.getDuration().getSeconds() * 1_000_000_000L
                + span.getDuration().getNanos();
    }

    static Optional<KeyValue> tag(Span span, String key) {
        return span.getTagsList().stream()
                .filter(tag -> tag.getKey().equals(key))
                .findFirst();
    }

    static boolean hasError(Span span) {
        return tag(span, "error").map(KeyValue::getVBool).orElse(false);
    }

    static String instance(Span span) {
        return span.getProcess().getTagsList().stream()
                .filter(tag -> tag.getKey().equals("service-instance"))
                .map(KeyValue::getVStr)
                .findFirst()
                .orElseThrow();
    }
}
