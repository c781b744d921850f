package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

/** As Flink's AggFunctionTestBase does: the same input whole, and split across accumulators. */
class CollectTraceFunctionTest {
    private final CollectTraceFunction function = new CollectTraceFunction();

    static final Span ROOT = new Span("0000000000000001", null, null, "ui", "/", "server", false, 1000, 500);
    // its peer.service tag names the callee
    static final Span CLIENT = new Span(
            "0000000000000002",
            "0000000000000001",
            "CHILD_OF",
            "ui",
            "HTTP GET",
            "client",
            false,
            1100,
            300,
            "frontend",
            false);
    // Zipkin-style: the server half shares the client's span id
    static final Span SERVER = new Span(
            "0000000000000002", "0000000000000001", "CHILD_OF", "frontend", "/dispatch", "server", true, 1150, 200);
    // a query to a database that reports no spans: its peer is the database, named by its db.name tag
    static final Span LEAF = new Span(
            "0000000000000003",
            "0000000000000002",
            "CHILD_OF",
            "frontend",
            "sql",
            "client",
            false,
            1200,
            10,
            "mysql",
            true);

    private void add(TraceAccumulator accumulator, Span span) throws Exception {
        add(function, accumulator, span);
    }

    /** Calls accumulate() as Flink's generated code does: strings in Flink's internal form. */
    static void add(CollectTraceFunction function, TraceAccumulator accumulator, Span span) throws Exception {
        function.accumulate(
                accumulator,
                string(span.spanId),
                string(span.parentSpanId),
                string(span.referenceType),
                string(span.service),
                string(span.operation),
                string(span.spanKind),
                span.error,
                span.startMicros,
                span.durationMicros,
                string(span.peer),
                span.callsDatabase);
    }

    private static StringData string(String value) {
        return value == null ? null : StringData.fromString(value);
    }

    /** The spans of getValue()'s result, which is a CollectedTrace in Flink's internal form. */
    static List<Span> spans(RowData collected) {
        ArrayData spans = collected.getArray(0);
        List<Span> list = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            RowData span = spans.getRow(i, 11);
            list.add(new Span(
                    text(span, 0),
                    text(span, 1),
                    text(span, 2),
                    text(span, 3),
                    text(span, 4),
                    text(span, 5),
                    span.getBoolean(6),
                    span.getLong(7),
                    span.getLong(8),
                    text(span, 9),
                    span.getBoolean(10)));
        }
        return list;
    }

    private static String text(RowData row, int field) {
        return row.isNullAt(field) ? null : row.getString(field).toString();
    }

    private static long droppedSpanCount(RowData collected) {
        return collected.getLong(1);
    }

    private static long repeatedSpanCount(RowData collected) {
        return collected.getLong(2);
    }

    @Test
    void collectsEachSpanOnceSortedByStart() throws Exception {
        TraceAccumulator accumulator = function.createAccumulator();
        for (Span span : List.of(LEAF, ROOT, SERVER, CLIENT, LEAF)) {
            add(accumulator, span);
        }

        RowData trace = function.getValue(accumulator);
        assertThat(spans(trace)).containsExactly(ROOT, CLIENT, SERVER, LEAF);
        assertThat(droppedSpanCount(trace)).isZero();
        assertThat(repeatedSpanCount(trace)).isEqualTo(1);
    }

    @Test
    void mergeOfSplitInputEqualsTheWholeInput() throws Exception {
        TraceAccumulator first = function.createAccumulator();
        add(first, LEAF);
        add(first, ROOT);
        TraceAccumulator second = function.createAccumulator();
        add(second, SERVER);
        add(second, LEAF); // delivered twice, once into each session
        TraceAccumulator third = function.createAccumulator();
        add(third, CLIENT);
        TraceAccumulator empty = function.createAccumulator();

        TraceAccumulator merged = function.createAccumulator();
        function.merge(merged, List.of(first, second, empty, third));

        RowData trace = function.getValue(merged);
        assertThat(spans(trace)).containsExactly(ROOT, CLIENT, SERVER, LEAF);
        // LEAF's second delivery, 5 spans given in all: 4 kept, 1 repeat
        assertThat(repeatedSpanCount(trace)).isEqualTo(1);
        assertThat(droppedSpanCount(trace)).isZero();
    }

    @Test
    void spansThatStartTogetherAreOrderedAsTraceOrdersThem() throws Exception {
        // same start: by span id, then kind (a missing kind compares as "null"), then service
        Span serverHalf = new Span("0000000000000002", null, null, "frontend", "/dispatch", "server", false, 1100, 5);
        Span clientHalf = new Span("0000000000000002", null, null, "ui", "HTTP GET", "client", false, 1100, 9);
        Span noKind = new Span("0000000000000002", null, null, "ui", "HTTP GET", null, false, 1100, 9);
        Span lowerId = new Span("0000000000000001", null, null, "zeta", "op", "server", false, 1100, 1);
        TraceAccumulator accumulator = function.createAccumulator();
        for (Span span : List.of(serverHalf, noKind, lowerId, clientHalf)) {
            add(accumulator, span);
        }

        assertThat(spans(function.getValue(accumulator))).containsExactly(lowerId, clientHalf, noKind, serverHalf);
    }

    @Test
    void keepsItsOwnCopyOfStringsWhoseMemoryTheCallerReuses() throws Exception {
        // Flink hands over strings that point into a buffer it fills with the next record
        byte[] buffer = "0000000000000007".getBytes(StandardCharsets.UTF_8);
        TraceAccumulator accumulator = function.createAccumulator();
        function.accumulate(
                accumulator,
                StringData.fromBytes(buffer),
                null,
                null,
                string("svc"),
                string("op"),
                null,
                false,
                5L,
                1L,
                null,
                false);
        Arrays.fill(buffer, (byte) 'f');

        assertThat(spans(function.getValue(accumulator)))
                .containsExactly(new Span("0000000000000007", null, null, "svc", "op", null, false, 5, 1));
    }

    @Test
    void stateOfSpanRowsWithOtherFieldsFailsWithWhatToDo() throws Exception {
        TraceAccumulator restored = function.createAccumulator();
        add(restored, ROOT);
        restored.spanRowFields = SpanRow.FIELDS - 1; // as state of a version whose spans had one field less

        assertThatThrownBy(() -> function.getValue(restored))
                .hasMessageContaining("holds spans of " + (SpanRow.FIELDS - 1) + " fields")
                .hasMessageContaining("Start the job without state, from a time before the upgrade");
        assertThatThrownBy(() -> add(restored, LEAF)).hasMessageContaining("another version of tracefeatures");
    }

    @Test
    void missingTimesAndFlagsAreZeroAndFalse() throws Exception {
        TraceAccumulator accumulator = function.createAccumulator();
        function.accumulate(
                accumulator,
                string("0000000000000009"),
                null,
                null,
                string("svc"),
                string("op"),
                null,
                null,
                null,
                null,
                null,
                null);

        assertThat(spans(function.getValue(accumulator)))
                .containsExactly(new Span("0000000000000009", null, null, "svc", "op", null, false, 0, 0));
    }

    private static CollectTraceFunction withMaxSpans(String maxSpans) {
        Configuration jobParameters = new Configuration();
        jobParameters.setString(CollectTraceFunction.MAX_SPANS_PARAMETER, maxSpans);
        CollectTraceFunction capped = new CollectTraceFunction();
        capped.open(new FunctionContext(null, null, jobParameters));
        return capped;
    }

    @Test
    void overTheCapTheEarliestStartingSpansStayAndTheOthersAreCounted() throws Exception {
        CollectTraceFunction capped = withMaxSpans("2");
        TraceAccumulator accumulator = capped.createAccumulator();
        // arrival order as Jaeger sends them, root last but one: LEAF (1200), ROOT (1000), SERVER (1150), CLIENT
        // (1100); the two that start latest, LEAF and SERVER, go
        for (Span span : List.of(LEAF, ROOT, SERVER, CLIENT)) {
            add(capped, accumulator, span);
        }

        RowData trace = capped.getValue(accumulator);
        assertThat(spans(trace)).containsExactly(ROOT, CLIENT);
        assertThat(droppedSpanCount(trace)).isEqualTo(2);
    }

    @Test
    void overTheCapMergeOfSplitInputEqualsTheWholeInput() throws Exception {
        CollectTraceFunction capped = withMaxSpans("2");
        TraceAccumulator first = capped.createAccumulator();
        for (Span span : List.of(LEAF, ROOT, SERVER)) { // over the cap on its own
            add(capped, first, span);
        }
        TraceAccumulator second = capped.createAccumulator();
        add(capped, second, CLIENT);
        add(capped, second, ROOT); // delivered twice, once into each session

        TraceAccumulator merged = capped.createAccumulator();
        capped.merge(merged, List.of(first, second));

        // the same two as from the whole input; of the 5 spans given, 2 kept, 2 dropped and 1 repeat
        RowData trace = capped.getValue(merged);
        assertThat(spans(trace)).containsExactly(ROOT, CLIENT);
        assertThat(droppedSpanCount(trace)).isEqualTo(2);
        assertThat(repeatedSpanCount(trace)).isEqualTo(1);
    }

    @Test
    void aSpanThatStartsEarlierThanTheKeptOnesStillGetsInAfterTheCapWasReached() throws Exception {
        CollectTraceFunction capped = withMaxSpans("2");
        TraceAccumulator accumulator = capped.createAccumulator();
        Span late = new Span("0000000000000004", "0000000000000001", "CHILD_OF", "ui", "x", null, false, 1300, 1);
        // four spans fill the state to twice the cap: CLIENT (1100) and SERVER (1150) stay, LEAF and late go; ROOT
        // (1000), which arrives last, gets in and pushes SERVER out; LEAF again starts after SERVER and goes at once
        for (Span span : List.of(LEAF, SERVER, CLIENT, late, ROOT, LEAF)) {
            add(capped, accumulator, span);
        }

        RowData trace = capped.getValue(accumulator);
        assertThat(spans(trace)).containsExactly(ROOT, CLIENT);
        assertThat(droppedSpanCount(trace)).isEqualTo(4);
        assertThat(repeatedSpanCount(trace)).isZero();
    }

    @Test
    void overTheCapEveryDeliveryIsKeptDroppedOrRepeatedWhateverTheOrderAndSplit() throws Exception {
        CollectTraceFunction capped = withMaxSpans("3");
        // 20 spans starting at 1..20 us, each delivered twice: 40 deliveries
        List<Span> deliveries = new ArrayList<>();
        for (int start = 1; start <= 20; start++) {
            Span span = new Span(String.format("%016x", start), null, null, "svc", "op", null, false, start, 1);
            deliveries.add(span);
            deliveries.add(span);
        }
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            java.util.Collections.shuffle(deliveries, random);
            List<TraceAccumulator> parts = new ArrayList<>();
            int partCount = 1 + random.nextInt(4);
            for (int i = 0; i < partCount; i++) {
                parts.add(capped.createAccumulator());
            }
            for (Span span : deliveries) {
                add(capped, parts.get(random.nextInt(parts.size())), span);
            }
            TraceAccumulator merged = capped.createAccumulator();
            capped.merge(merged, parts);

            RowData trace = capped.getValue(merged);
            assertThat(spans(trace)).extracting(span -> span.startMicros).containsExactly(1L, 2L, 3L);
            assertThat(3 + droppedSpanCount(trace) + repeatedSpanCount(trace)).isEqualTo(40);
            // the 17 distinct spans over the cap are each dropped at least once; of the kept ones' second
            // deliveries, each is a repeat
            assertThat(droppedSpanCount(trace)).isBetween(17L, 34L);
            assertThat(repeatedSpanCount(trace)).isBetween(3L, 20L);
        }
    }

    @Test
    void theCapDefaultsTo50000() throws Exception {
        CollectTraceFunction uncapped = new CollectTraceFunction();
        uncapped.open(new FunctionContext(null, null, new Configuration()));
        TraceAccumulator accumulator = uncapped.createAccumulator();
        for (int i = 0; i < 50_001; i++) {
            // the first span starts latest
            add(
                    uncapped,
                    accumulator,
                    new Span(String.format("%016x", i + 1), null, null, "svc", "op", null, false, 50_001 - i, 1L));
        }

        RowData trace = uncapped.getValue(accumulator);
        List<Span> spans = spans(trace);
        assertThat(spans).hasSize(50_000);
        assertThat(droppedSpanCount(trace)).isEqualTo(1);
        assertThat(spans.get(0).spanId).isEqualTo(String.format("%016x", 50_001));
        assertThat(spans).noneMatch(span -> span.spanId.equals("0000000000000001"));
    }

    @Test
    void aCapThatIsNotAPositiveNumberIsAClearError() throws Exception {
        assertThatThrownBy(() -> withMaxSpans("lots"))
                .hasMessageContaining("tracefeatures.max-spans-per-trace")
                .hasMessageContaining("positive number");
        assertThatThrownBy(() -> withMaxSpans("0")).hasMessageContaining("positive number");
    }
}
