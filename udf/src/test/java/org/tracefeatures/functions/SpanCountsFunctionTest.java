package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.ArrayData;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.SpanCounts;

/** SPAN_COUNTS on what it is handed in a job: COLLECT_TRACE's spans in Flink's internal form. */
class SpanCountsFunctionTest {

    private static ArrayData collected(Span... spans) throws Exception {
        CollectTraceFunction collect = new CollectTraceFunction();
        TraceAccumulator accumulator = collect.createAccumulator();
        for (Span span : spans) {
            CollectTraceFunctionTest.add(collect, accumulator, span);
        }
        return collect.getValue(accumulator).getArray(0);
    }

    private static Span span(String id, String service, String operation) {
        return new Span(id, null, null, service, operation, "server", false, Long.parseLong(id, 16), 1);
    }

    @Test
    void countsSpansPerServiceAndOperation() throws Exception {
        ArrayData spans = collected(
                span("0000000000000001", "frontend", "/dispatch"),
                span("0000000000000002", "route", "/GetShortestRoute"),
                span("0000000000000003", "route", "/GetShortestRoute"),
                span("0000000000000004", "route", "/GetShortestRoute"),
                span("0000000000000005", "driver", "/driver.DriverService/FindNearest"),
                // the same operation name in another service is another key
                span("0000000000000006", "frontend", "/GetShortestRoute"));

        assertThat(new SpanCountsFunction().eval(spans))
                .containsExactly(
                        Map.entry("driver::/driver.DriverService/FindNearest", 1L),
                        Map.entry("frontend::/GetShortestRoute", 1L),
                        Map.entry("frontend::/dispatch", 1L),
                        Map.entry("route::/GetShortestRoute", 3L));
    }

    @Test
    void aMissingServiceOrOperationIsNamedNullAsTheTraceModelNamesIt() throws Exception {
        List<Span> spans = List.of(span("0000000000000001", null, "op"), span("0000000000000002", "svc", null));

        assertThat(new SpanCountsFunction().eval(collected(spans.toArray(new Span[0]))))
                .isEqualTo(Map.of("null::op", 1L, "svc::null", 1L))
                .isEqualTo(SpanCounts.of(spans));
    }

    @Test
    void noSpansGiveNoCounts() throws Exception {
        assertThat(new SpanCountsFunction().eval(collected())).isEmpty();
        assertThat(new SpanCountsFunction().eval(null)).isNull();
    }
}
