package org.tracefeatures.functions;

import static org.tracefeatures.functions.FunctionSpec.spec;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tracefeatures.jaeger.KeyValues;
import org.tracefeatures.trace.Span;

/**
 * The functions through the planner, as the jobs call them (registered by {@code sql/init/functions.sql}):
 * TAGS_MAP, whose cache depends on how the planner inlines its calls; COLLECT_TRACE, with its own type
 * inference and with its accumulators merged when a session window merges; SPAN_COUNTS and TRACE_FEATURES on
 * what COLLECT_TRACE gives. Every expected value is worked out by hand in the comment next to it.
 */
class FunctionsSqlITCase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    @Timeout(120)
    void givesTheExpectedRowsThroughSql(FunctionSpec spec) throws Exception {
        spec.run();
    }

    static Stream<FunctionSpec> specs() {
        return Stream.of(
                tagsMapTypedValues(),
                tagsMapTwoArgumentsInOneSelect(),
                collectTraceEachSpanOnceSortedByStart(),
                collectTraceTwoTraces(),
                collectTraceCap(),
                collectTraceSessionsApart(),
                collectTraceMergedSessions(),
                collectTraceMergedSessionsOverTheCap(),
                spanCounts(),
                traceFeatures(),
                serviceGraphRequests(),
                latencyExemplarsInTwoStages(),
                jsonStringMapOfJsonObject(),
                serviceVersionsInMergedSessions(),
                samplingWeight());
    }

    // ---------------------------------------------------------------------------------------------------- TAGS_MAP

    private static final String TAGS_INPUT =
            "ROW<id INT, tags " + KeyValues.SQL_TYPE + ", process_tags " + KeyValues.SQL_TYPE + ">";

    /** A jaeger.api_v2.KeyValue as flink-protobuf decodes it: every field set, proto3's defaults where unused. */
    private static Row tag(String key, String type, String str, boolean bool, long int64, double float64, byte[] bin) {
        return Row.of(key, type, str, bool, int64, float64, bin);
    }

    private static Row string(String key, String value) {
        return tag(key, "STRING", value, false, 0L, 0.0, new byte[0]);
    }

    private static Row[] tags(Row... tags) {
        return tags;
    }

    private static FunctionSpec tagsMapTypedValues() {
        return spec("TAGS_MAP: typed values as text, the first of a repeated key, NULL and empty tags")
                .input(
                        TAGS_INPUT,
                        Row.of(
                                1,
                                tags(
                                        string("span.kind", "server"),
                                        tag("error", "BOOL", "", true, 0L, 0.0, new byte[0]),
                                        tag("http.status_code", "INT64", "", false, 503L, 0.0, new byte[0]),
                                        tag("sampler.param", "FLOAT64", "", false, 0L, 0.5, new byte[0]),
                                        tag("payload", "BINARY", "", false, 0L, 0.0, new byte[] {1, 2, 3}),
                                        string("span.kind", "client")),
                                null),
                        // Jaeger's JSON leaves proto3's defaults out: the fields are NULL
                        Row.of(
                                2,
                                tags(
                                        Row.of("note", null, null, null, null, null, null),
                                        Row.of("sampled", "BOOL", null, null, null, null, null),
                                        Row.of(null, "STRING", "no key", null, null, null, null),
                                        null),
                                null),
                        Row.of(3, null, null),
                        Row.of(4, new Row[0], null))
                .select("id, TAGS_MAP(tags)")
                .expect(
                        // BOOL true -> "true"; INT64 503 -> "503"; FLOAT64 0.5 -> "0.5"; BINARY 01 02 03 in base64:
                        // 000000|010000|001000|000011 = 0, 16, 8, 3 = "AQID"; the second span.kind (client) is
                        // left out, the first (server) wins
                        Row.of(
                                1,
                                Map.of(
                                        "span.kind", "server",
                                        "error", "true",
                                        "http.status_code", "503",
                                        "sampler.param", "0.5",
                                        "payload", "AQID")),
                        // no type = STRING, no string = ""; BOOL without a value = proto3's default false; the tag
                        // without a key and the NULL tag give no entry
                        Row.of(2, Map.of("note", "", "sampled", "false")),
                        // NULL tags and no tags: an empty map
                        Row.of(3, Map.of()),
                        Row.of(4, Map.of()));
    }

    /**
     * The input parts' pattern (sql/init/input/*.sql: TAGS_MAP(tags) AS tags, TAGS_MAP(process.tags) AS
     * process_tags; spans.sql reads tags['span.kind'], tags['error'], ...): the planner inlines the maps into
     * every lookup, so one Calc calls TAGS_MAP on the span's tags and the process's tags in turn, four times a
     * row, on rows one after the other. The cache of the last map must give each call the map of its own array.
     */
    private static FunctionSpec tagsMapTwoArgumentsInOneSelect() {
        return spec("TAGS_MAP: two arrays of one row in one SELECT, looked up in turn")
                .input(
                        TAGS_INPUT,
                        Row.of(
                                1,
                                tags(string("name", "span-1"), string("span.kind", "client")),
                                tags(string("name", "process-1"), string("hostname", "host-1"))),
                        Row.of(
                                2,
                                tags(string("name", "span-2"), string("span.kind", "server")),
                                tags(string("name", "process-2"), string("hostname", "host-2"))),
                        // the same key in both, only in the process tags, only in the span tags
                        Row.of(3, tags(string("name", "span-3")), tags(string("hostname", "host-3"))),
                        Row.of(4, null, tags(string("name", "process-4"))))
                .query("SELECT id, tags['name'], process_tags['name'], tags['span.kind'], process_tags['hostname']"
                        + " FROM (SELECT id, TAGS_MAP(tags) AS tags, TAGS_MAP(process_tags) AS process_tags"
                        + " FROM input)")
                .expect(
                        // each lookup reads its own row's own array; a missing key (or no tags) gives NULL
                        Row.of(1, "span-1", "process-1", "client", "host-1"),
                        Row.of(2, "span-2", "process-2", "server", "host-2"),
                        Row.of(3, "span-3", null, null, "host-3"),
                        Row.of(4, null, "process-4", null, null));
    }

    // ----------------------------------------------------------------------------------------------- COLLECT_TRACE

    private static final String SPANS_INPUT = "ROW<trace_id STRING, span_id STRING, parent_span_id STRING,"
            + " reference_type STRING, service STRING, operation STRING, span_kind STRING, is_error BOOLEAN,"
            + " start_micros BIGINT, duration_micros BIGINT, peer STRING,"
            + " calls_database BOOLEAN>";
    private static final String TIMED_SPANS_INPUT =
            SPANS_INPUT.substring(0, SPANS_INPUT.length() - 1) + ", event_millis BIGINT>";

    private static final String COLLECT_TRACE = "COLLECT_TRACE(span_id, parent_span_id, reference_type, service,"
            + " operation, span_kind, is_error, start_micros, duration_micros, peer,"
            + " calls_database)";
    /** One trace per trace id: a GROUP BY without a window, whose result is updated with every span. */
    private static final String TRACES =
            "SELECT trace_id, " + COLLECT_TRACE + " AS collected FROM input GROUP BY trace_id";
    /** As sql/init/traces.sql assembles traces: per trace id, session windows with a gap of 5 s. */
    private static final String TRACE_WINDOWS = "SELECT trace_id, window_start, window_end, " + COLLECT_TRACE
            + " AS collected FROM TABLE(SESSION(TABLE input PARTITION BY trace_id, DESCRIPTOR(rowtime),"
            + " INTERVAL '5' SECOND)) GROUP BY trace_id, window_start, window_end";

    // the trace of CollectTraceFunctionTest: a root, a client call, its Zipkin-style server half, a leaf
    private static final Span ROOT = CollectTraceFunctionTest.ROOT;
    private static final Span CLIENT = CollectTraceFunctionTest.CLIENT;
    private static final Span SERVER = CollectTraceFunctionTest.SERVER;
    private static final Span LEAF = CollectTraceFunctionTest.LEAF;

    private static Row span(String traceId, Span span) {
        return Row.of(
                traceId,
                span.spanId,
                span.parentSpanId,
                span.referenceType,
                span.service,
                span.operation,
                span.spanKind,
                span.error,
                span.startMicros,
                span.durationMicros,
                span.peer,
                span.callsDatabase);
    }

    /** A span of trace t1 that arrives (its Kafka record's timestamp) this many seconds after {@link #T0}. */
    private static Row spanAt(long seconds, Span span) {
        return Row.join(span("t1", span), Row.of(T0_MILLIS + seconds * 1000));
    }

    /** 2023-11-14T22:13:20Z: 1,700,000,000 s since the epoch. */
    private static final long T0_MILLIS = 1_700_000_000_000L;

    private static final LocalDateTime T0 = LocalDateTime.of(2023, 11, 14, 22, 13, 20);

    private static Span[] spans(Span... spans) {
        return spans;
    }

    private static FunctionSpec collectTraceEachSpanOnceSortedByStart() {
        return spec("COLLECT_TRACE: each span once, sorted by start; a repeated delivery is counted")
                .input(
                        SPANS_INPUT,
                        span("t1", LEAF),
                        span("t1", ROOT),
                        span("t1", SERVER),
                        span("t1", CLIENT),
                        span("t1", LEAF))
                .query("SELECT t.trace_id, t.collected.spans, t.collected.droppedSpanCount,"
                        + " t.collected.repeatedSpanCount FROM (" + TRACES + ") AS t")
                .expect(
                        // 5 deliveries: LEAF twice (1 repeat), CLIENT and SERVER share id 2 but differ in kind and
                        // service (2 spans): 4 spans, by start 1000 (ROOT) < 1100 (CLIENT) < 1150 (SERVER) < 1200
                        // (LEAF); none over the default cap of 50,000
                        Row.of("t1", spans(ROOT, CLIENT, SERVER, LEAF), 0L, 1L));
    }

    private static FunctionSpec collectTraceTwoTraces() {
        // a span as Jaeger's JSON may give it: no kind, no error flag, no times
        Span batch = new Span("0000000000000021", null, null, "batch", "run", null, false, 0, 0);
        Span step = new Span("0000000000000022", "0000000000000021", "CHILD_OF", "batch", "step", null, false, 50, 10);
        return spec("COLLECT_TRACE: two traces in one input, interleaved")
                .input(
                        SPANS_INPUT,
                        span("t1", LEAF),
                        Row.of("t2", batch.spanId, null, null, "batch", "run", null, null, null, null, null, null),
                        span("t1", ROOT),
                        span("t2", step))
                .query("SELECT t.trace_id, t.collected.spans, t.collected.droppedSpanCount,"
                        + " t.collected.repeatedSpanCount FROM (" + TRACES + ") AS t")
                .expect(
                        // t1: ROOT (start 1000) before LEAF (1200)
                        Row.of("t1", spans(ROOT, LEAF), 0L, 0L),
                        // t2: the span without error flag and times has false and 0, 0, so it starts first (0 < 50)
                        Row.of("t2", spans(batch, step), 0L, 0L));
    }

    private static FunctionSpec collectTraceCap() {
        Span late = new Span("0000000000000004", "0000000000000001", "CHILD_OF", "ui", "log", null, false, 1300, 5);
        return spec("COLLECT_TRACE: over the cap, the earliest-starting spans stay and the others are counted")
                .set("pipeline.global-job-parameters", CollectTraceFunction.MAX_SPANS_PARAMETER + ":2")
                .input(
                        SPANS_INPUT,
                        span("t1", LEAF),
                        span("t1", ROOT),
                        span("t1", SERVER),
                        span("t1", late),
                        span("t1", CLIENT))
                .query("SELECT t.trace_id, t.collected.spans, t.collected.droppedSpanCount,"
                        + " t.collected.repeatedSpanCount FROM (" + TRACES + ") AS t")
                .expect(
                        // 5 distinct spans, starting at LEAF 1200, ROOT 1000, SERVER 1150, late 1300, CLIENT 1100: the
                        // 2 earliest are ROOT (1000) and CLIENT (1100); the other 3 (SERVER, LEAF, late) are dropped
                        Row.of("t1", spans(ROOT, CLIENT), 3L, 0L));
    }

    /** Root A, its child C and C's child B, arriving at 0 s (A), 8 s (B), 9 s (A again) and, bridging, 4 s (C). */
    private static final Span A = new Span("00000000000000a1", null, null, "ui", "/", "server", false, 1000, 900);

    private static final Span C =
            new Span("00000000000000c3", "00000000000000a1", "CHILD_OF", "ui", "HTTP GET", "client", false, 1100, 500);
    private static final Span B =
            new Span("00000000000000b2", "00000000000000c3", "CHILD_OF", "db", "query", "server", false, 1200, 100);

    private static final String WINDOWED = "SELECT t.trace_id, t.window_start, t.window_end, t.collected.spans,"
            + " t.collected.droppedSpanCount, t.collected.repeatedSpanCount FROM (" + TRACE_WINDOWS + ") AS t";

    /** The control for the merge: without the bridging span the two sessions stay apart. */
    private static FunctionSpec collectTraceSessionsApart() {
        return spec("COLLECT_TRACE in session windows: spans more than the gap apart are two sessions")
                .set("table.local-time-zone", "UTC")
                .input(TIMED_SPANS_INPUT, spanAt(0, A), spanAt(8, B), spanAt(9, A))
                .eventTime("event_millis")
                .query(WINDOWED)
                .expect(
                        // A at 0 s: session [0 s, 0 + 5 s)
                        Row.of("t1", T0, T0.plusSeconds(5), spans(A), 0L, 0L),
                        // B at 8 s and A again at 9 s (within the 5 s gap): session [8 s, 9 + 5 = 14 s); this
                        // window has A once, so no repeat; by start A (1000) before B (1200)
                        Row.of("t1", T0.plusSeconds(8), T0.plusSeconds(14), spans(A, B), 0L, 0L));
    }

    /**
     * A late span bridges two sessions: C at 4 s makes the session [4 s, 9 s), which overlaps [0 s, 5 s) and [8
     * s, 14 s); Flink merges the three windows, and COLLECT_TRACE's accumulators with merge(). No watermark
     * passes before the input ends, so the sessions are still open when C arrives.
     */
    private static FunctionSpec collectTraceMergedSessions() {
        return spec("COLLECT_TRACE in session windows: a span that bridges two sessions merges their accumulators")
                .set("table.local-time-zone", "UTC")
                .input(TIMED_SPANS_INPUT, spanAt(0, A), spanAt(8, B), spanAt(9, A), spanAt(4, C))
                .eventTime("event_millis")
                .query(WINDOWED)
                .expect(
                        // one window from the first arrival (0 s) to the last plus the gap (9 + 5 = 14 s); A was in
                        // both merged accumulators: in spans once, 1 repeat; by start A 1000, C 1100, B 1200
                        Row.of("t1", T0, T0.plusSeconds(14), spans(A, C, B), 0L, 1L));
    }

    /**
     * The same merge with a cap of 1, so that the state's list is compacted inside a session (B and A make twice the
     * cap) and the merge adds up accumulators that dropped spans.
     */
    private static FunctionSpec collectTraceMergedSessionsOverTheCap() {
        return spec("COLLECT_TRACE in session windows over the cap: the merge keeps the earliest span and counts the rest")
                .set("table.local-time-zone", "UTC")
                .set("pipeline.global-job-parameters", CollectTraceFunction.MAX_SPANS_PARAMETER + ":1")
                .input(TIMED_SPANS_INPUT, spanAt(0, A), spanAt(8, B), spanAt(9, A), spanAt(4, C))
                .eventTime("event_millis")
                .query(WINDOWED)
                .expect(
                        // one window [0 s, 14 s) as above; of A (1000), C (1100) and B (1200) the cap keeps A; B and
                        // C are dropped, A's second delivery is a repeat: 1 + 2 + 1 = the 4 deliveries
                        Row.of("t1", T0, T0.plusSeconds(14), spans(A), 2L, 1L));
    }

    // ------------------------------------------------------------------------------------------------- SPAN_COUNTS

    private static FunctionSpec spanCounts() {
        Span secondSql =
                new Span("0000000000000004", "0000000000000002", "CHILD_OF", "frontend", "sql", null, false, 1250, 10);
        Span noOperation =
                new Span("0000000000000005", "0000000000000002", "CHILD_OF", "mysql", null, null, false, 1260, 3);
        Span batch = new Span("0000000000000021", null, null, "batch", "run", null, false, 0, 10);
        return spec("SPAN_COUNTS of COLLECT_TRACE's spans: per service::operation")
                .input(
                        SPANS_INPUT,
                        span("t1", LEAF),
                        span("t1", ROOT),
                        span("t2", batch),
                        span("t1", SERVER),
                        span("t1", secondSql),
                        span("t1", CLIENT),
                        span("t1", noOperation),
                        span("t1", LEAF))
                .query("SELECT t.trace_id, SPAN_COUNTS(t.collected.spans) FROM (" + TRACES + ") AS t")
                .expect(
                        // t1: ROOT ui::/, CLIENT ui::HTTP GET, SERVER frontend::/dispatch, LEAF and secondSql
                        // frontend::sql (LEAF's second delivery is not a span of its own), a NULL operation as "null"
                        Row.of(
                                "t1",
                                Map.of(
                                        "ui::/", 1L,
                                        "ui::HTTP GET", 1L,
                                        "frontend::/dispatch", 1L,
                                        "frontend::sql", 2L,
                                        "mysql::null", 1L)),
                        Row.of("t2", Map.of("batch::run", 1L)));
    }

    // ------------------------------------------------------------------------------------------- LATENCY_EXEMPLARS

    /**
     * As span_metrics.sql calls it: per operation first, then the operations' rows combined per service. The result's
     * fields are the buckets le2ms ... leInf; the spec reads three of them and the slowest's trace by bucket.
     */
    private static FunctionSpec latencyExemplarsInTwoStages() {
        return spec("LATENCY_EXEMPLARS: per operation, then combined; the slowest of each bucket, ties to the first id")
                .input(
                        "ROW<service STRING, operation STRING, trace_id STRING, micros BIGINT, ms BIGINT>",
                        Row.of("s", "a", "t3", 1_500L, 1_000L),
                        Row.of("s", "a", "t2", 1_900L, 1_000L),
                        Row.of("s", "b", "t1", 1_900L, 1_000L),
                        Row.of("s", "b", "t9", 45_000L, 1_000L),
                        Row.of("s", "a", "t8", 45_000L, 1_000L),
                        Row.of("s", "b", "t7", 20_000_000L, 1_000L),
                        Row.of("s", "a", null, 30_000_000L, 1_000L),
                        Row.of("s", "a", "t6", null, 1_000L))
                .eventTime("ms")
                .query("SELECT service, e.le2ms, e.le4ms, e.le50ms, e.leInf FROM ("
                        + " SELECT window_start, window_end, service, LATENCY_EXEMPLARS(x) AS e FROM ("
                        + "  SELECT window_start, window_end, service, operation,"
                        + "   LATENCY_EXEMPLARS(trace_id, micros) AS x"
                        + "  FROM TABLE(TUMBLE(TABLE input, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))"
                        + "  GROUP BY window_start, window_end, service, operation)"
                        + " GROUP BY window_start, window_end, service)")
                .expect(
                        // le2ms (0, 2000 us]: t3 1500, t2 1900 (a), t1 1900 (b): 1900 is the slowest, t1 < t2;
                        // le4ms: nothing; le50ms (10, 50 ms]: t9 and t8 both 45000, t8 sorts first;
                        // leInf (over 15 s): t7's 20 s; the 30 s row has no trace id and the last no duration
                        Row.of("s", Row.of("t1", 1_900L), null, Row.of("t8", 45_000L), Row.of("t7", 20_000_000L)));
    }

    // --------------------------------------------------------------------------------------------- JSON_STRING_MAP

    /** As span_metrics.sql makes its dimensions: JSON_OBJECT of the tags a span has, then a map of it. */
    private static FunctionSpec jsonStringMapOfJsonObject() {
        return spec("JSON_STRING_MAP of JSON_OBJECT: the members present, each as text; NULL for what is no object")
                .input(
                        "ROW<id INT, route STRING, version STRING, text STRING>",
                        Row.of(1, "/a", "1.4", null),
                        Row.of(2, null, null, null),
                        Row.of(3, null, null, "[1, 2]"),
                        Row.of(4, null, null, "{\"n\": 5, \"s\": \"x\"}"))
                .query("SELECT id, JSON_STRING_MAP(COALESCE(text, JSON_OBJECT(KEY 'http.route' VALUE route,"
                        + " KEY 'service.version' VALUE version ABSENT ON NULL))) FROM input")
                .expect(
                        // both tags; neither (an empty object); an array is no object; a number as its JSON text
                        Row.of(1, Map.of("http.route", "/a", "service.version", "1.4")),
                        Row.of(2, Map.of()),
                        Row.of(3, null),
                        Row.of(4, Map.of("n", "5", "s", "x")));
    }

    // ---------------------------------------------------------------------------------------------- TRACE_FEATURES

    // the trace of the TRACE_FEATURES and SERVICE_GRAPH_REQUESTS specs:
    // frontend::/dispatch, server [1000, 2000]
    // ├── frontend::HTTP GET, client [1100, 1400]
    // │   └── customer::/customer, server, error [1150, 1350]
    // └── redis::GetDriver, no kind [1500, 1900]
    private static final Span DISPATCH =
            new Span("0000000000000001", null, null, "frontend", "/dispatch", "server", false, 1000, 1000);
    private static final Span DISPATCH_CALL = new Span(
            "0000000000000002", "0000000000000001", "CHILD_OF", "frontend", "HTTP GET", "client", false, 1100, 300);
    private static final Span CUSTOMER = new Span(
            "0000000000000003", "0000000000000002", "CHILD_OF", "customer", "/customer", "server", true, 1150, 200);
    private static final Span GET_DRIVER =
            new Span("0000000000000004", "0000000000000001", "CHILD_OF", "redis", "GetDriver", null, false, 1500, 400);

    private static FunctionSpec traceFeatures() {
        return spec("TRACE_FEATURES of COLLECT_TRACE's spans: a root, two children, a grandchild, an error")
                .input(
                        SPANS_INPUT,
                        span("t1", CUSTOMER),
                        span("t1", GET_DRIVER),
                        span("t1", DISPATCH_CALL),
                        span("t1", DISPATCH))
                .query("SELECT t.trace_id, f.rootService, f.rootOperation, f.rootDurationMicros, f.rootCount,"
                        + " f.durationMicros, f.spanCount, f.serviceCount, f.operationCount, f.errorCount,"
                        + " f.errorServices, f.depth, f.serviceDepth, f.maxFanOut, f.orphanSpanCount, f.warnings,"
                        + " f.networkLatencyMaxMicros, f.networkLatencyAvgMicros, f.criticalPath,"
                        + " f.criticalPathServices"
                        + " FROM (" + TRACES + ") AS t"
                        + " CROSS JOIN LATERAL TABLE(TRACE_FEATURES(t.collected.spans)) AS f")
                .expect(Row.of(
                        "t1",
                        // the root (no parent): frontend::/dispatch, 1000 µs; one root
                        "frontend",
                        "/dispatch",
                        1000L,
                        1,
                        // latest end 2000 (root) - earliest start 1000 (root)
                        1000L,
                        // 4 spans; services frontend, customer, redis: 3; service::operation pairs: 4
                        4,
                        3,
                        4,
                        // one error span, of customer
                        1,
                        new String[] {"customer"},
                        // depth: root -> HTTP GET -> /customer, 3 spans; service hops on that chain: frontend,
                        // frontend (same service, not a hop), customer = 2 (root -> redis: 2 as well)
                        3,
                        2,
                        // the root has 2 children; no orphans, no cycle
                        2,
                        0,
                        new String[0],
                        // one client -> server pair across services: HTTP GET (frontend, 1100) -> /customer
                        // (customer, 1150): 1150 - 1100 = 50; max 50, mean 50 / 1
                        50L,
                        50.0,
                        // critical path from the root's end 2000: the child ending last, redis [1500, 1900], owns
                        // 400; the root owns the gap 1900..2000 = 100; next the child ending before 1500: HTTP GET
                        // [1100, 1400], the root owns 1400..1500 = 100; in HTTP GET, /customer [1150, 1350] owns
                        // 200 and HTTP GET the gaps 1350..1400 and 1100..1150 = 100; the root owns 1000..1100 =
                        // 100, 300 in all. 300 + 100 + 200 + 400 = 1000 = the root's duration
                        Map.of(
                                "frontend::/dispatch", 300L,
                                "frontend::HTTP GET", 100L,
                                "customer::/customer", 200L,
                                "redis::GetDriver", 400L),
                        // per service: frontend 300 + 100 = 400, customer 200, redis 400
                        Map.of("frontend", 400L, "customer", 200L, "redis", 400L)));
    }

    // -------------------------------------------------------------------------------------- SERVICE_GRAPH_REQUESTS

    private static FunctionSpec serviceGraphRequests() {
        // the trace of the TRACE_FEATURES spec (its root a server span: its caller reports no spans), and below the
        // root frontend::SELECT, a client of mysql (db.system) [1950, 1970]
        Span select = new Span(
                "0000000000000005",
                "0000000000000001",
                "CHILD_OF",
                "frontend",
                "SELECT",
                "client",
                false,
                1950,
                20,
                "mysql",
                true);
        return spec("SERVICE_GRAPH_REQUESTS of COLLECT_TRACE's spans: a user request, two calls, a database peer")
                .input(
                        SPANS_INPUT,
                        span("t1", CUSTOMER),
                        span("t1", select),
                        span("t1", GET_DRIVER),
                        span("t1", DISPATCH_CALL),
                        span("t1", DISPATCH))
                .query("SELECT t.trace_id, r.client, r.server, r.connectionType, r.failed, r.clientMicros,"
                        + " r.serverMicros FROM (" + TRACES + ") AS t"
                        + " CROSS JOIN LATERAL TABLE(SERVICE_GRAPH_REQUESTS(t.collected.spans)) AS r")
                .expect(
                        // the root server span: a request from the user, seen by frontend only (1000 us)
                        Row.of("t1", "user", "frontend", "virtual_node", false, null, 1000L),
                        // HTTP GET -> /customer: 300 us at the client, 200 at the server, failed by the server's error
                        Row.of("t1", "frontend", "customer", "direct", true, 300L, 200L),
                        // the root -> GetDriver crosses services, but the root is no client span: no client latency
                        Row.of("t1", "frontend", "redis", "direct", false, null, 400L),
                        // SELECT names a database that reports no spans: 20 us at the client only
                        Row.of("t1", "frontend", "mysql", "database", false, 20L, null));
    }

    // -------------------------------------------------------------------------------------------- SERVICE_VERSIONS

    /**
     * As sql/init/traces.sql uses it, in session windows: the spans at 0 s and 8 s open two sessions, the one at 4 s
     * bridges them, so the three accumulators are merged.
     */
    private static FunctionSpec serviceVersionsInMergedSessions() {
        return spec("SERVICE_VERSIONS in merged session windows: per service its greatest version, '.' as '@'")
                .set("table.local-time-zone", "UTC")
                .input(
                        "ROW<trace_id STRING, service STRING, version STRING, event_millis BIGINT>",
                        Row.of("t1", "frontend", "1.10", T0_MILLIS),
                        Row.of("t1", "frontend", "1.9", T0_MILLIS + 8_000),
                        Row.of("t1", "com.example.db", "7", T0_MILLIS + 4_000),
                        Row.of("t1", "redis", null, T0_MILLIS + 4_000),
                        Row.of("t2", "route", null, T0_MILLIS))
                .eventTime("event_millis")
                .query("SELECT trace_id, SERVICE_VERSIONS(service, version)"
                        + " FROM TABLE(SESSION(TABLE input PARTITION BY trace_id, DESCRIPTOR(rowtime),"
                        + " INTERVAL '5' SECOND))"
                        + " GROUP BY trace_id, window_start, window_end")
                .expect(
                        // frontend 1.9 and 1.10 (mid-deploy): 10 > 9 as numbers, although "1.9" > "1.10" as text; a
                        // dotted name keyed with '@'; redis without a version is left out
                        Row.of("t1", Map.of("frontend", "1.10", "com@example@db", "7")),
                        // no span with a version: an empty map
                        Row.of("t2", Map.of()));
    }

    // --------------------------------------------------------------------------------------------- SAMPLING_WEIGHT

    private static FunctionSpec samplingWeight() {
        return spec("SAMPLING_WEIGHT: 1 / p of Jaeger's probabilistic sampler or OpenTelemetry's threshold")
                .input(
                        "ROW<id INT, sampler_type STRING, sampler_param STRING, trace_state STRING>",
                        Row.of(1, "probabilistic", "0.1", null),
                        Row.of(2, "probabilistic", "1", null),
                        Row.of(3, "const", "1", null),
                        Row.of(4, "probabilistic", "0", null),
                        Row.of(5, "probabilistic", "often", null),
                        Row.of(6, null, null, "ot=th:8"),
                        Row.of(7, null, null, "vendor=x,ot=rv:abcdef01234567;th:c"),
                        Row.of(8, "probabilistic", "0.5", "ot=th:0"),
                        Row.of(9, null, null, "ot=th:XYZ"),
                        Row.of(10, null, null, null))
                .query("SELECT id, SAMPLING_WEIGHT(sampler_type, sampler_param, trace_state) FROM input")
                .expect(
                        // 1 / 0.1
                        Row.of(1, 10.0),
                        Row.of(2, 1.0),
                        // const, a probability of 0 and a param that is no number say nothing
                        Row.of(3, null),
                        Row.of(4, null),
                        Row.of(5, null),
                        // th:8 is 0x80000000000000 = 2^55: probability (2^56 - 2^55) / 2^56 = 1/2
                        Row.of(6, 2.0),
                        // th:c is 0xc0000000000000 = 3 * 2^54: probability 1/4, after another member and field
                        Row.of(7, 4.0),
                        // the trace state wins: th:0 samples everything
                        Row.of(8, 1.0),
                        // a threshold that is not hex, and nothing at all
                        Row.of(9, null),
                        Row.of(10, null));
    }
}
