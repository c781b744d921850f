-- The Java functions of tracefeatures (tracefeatures-job.jar). Trace assembly is a UDAF; features are UDFs.

-- Span view helpers: Jaeger's ids and references, typed tags as text, and the record check.
CREATE TEMPORARY SYSTEM FUNCTION JAEGER_TRACE_ID AS 'org.tracefeatures.functions.JaegerTraceIdFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION JAEGER_SPAN_ID AS 'org.tracefeatures.functions.JaegerSpanIdFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION PARENT_SPAN_ID AS 'org.tracefeatures.functions.ParentSpanIdFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION PARENT_REFERENCE_TYPE AS 'org.tracefeatures.functions.ParentReferenceTypeFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION TAGS_MAP AS 'org.tracefeatures.functions.TagsMapFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION SPAN_DEFECT AS 'org.tracefeatures.functions.SpanDefectFunction' LANGUAGE JAVA;

-- Input helpers: protobuf's JSON form of times (jaeger-json).
CREATE TEMPORARY SYSTEM FUNCTION JSON_TIMESTAMP_MICROS AS 'org.tracefeatures.functions.JsonTimestampMicrosFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION JSON_DURATION_MICROS AS 'org.tracefeatures.functions.JsonDurationMicrosFunction' LANGUAGE JAVA;

-- Trace assembly.
CREATE TEMPORARY SYSTEM FUNCTION IS_LATE_SPAN AS 'org.tracefeatures.functions.IsLateSpanFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION COLLECT_TRACE AS 'org.tracefeatures.functions.CollectTraceFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION SERVICE_VERSIONS AS 'org.tracefeatures.functions.ServiceVersionsFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION SAMPLING_WEIGHT AS 'org.tracefeatures.functions.SamplingWeightFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IS_FIRST_TRACE_WINDOW AS 'org.tracefeatures.functions.IsFirstTraceWindowFunction' LANGUAGE JAVA;

-- Features of an assembled trace.
CREATE TEMPORARY SYSTEM FUNCTION SPAN_COUNTS AS 'org.tracefeatures.functions.SpanCountsFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION TRACE_FEATURES AS 'org.tracefeatures.functions.TraceFeaturesFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION SERVICE_CALLS AS 'org.tracefeatures.functions.ServiceCallsFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION SERVICE_GRAPH_REQUESTS AS 'org.tracefeatures.functions.ServiceGraphRequestsFunction' LANGUAGE JAVA;

-- Aggregates over many traces or spans: Jaeger's dependency links, latency percentiles and histograms.
CREATE TEMPORARY SYSTEM FUNCTION DEPENDENCY_LINKS AS 'org.tracefeatures.functions.DependencyLinksFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION LATENCY_SKETCH AS 'org.tracefeatures.functions.LatencySketchFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION LATENCY_PERCENTILE AS 'org.tracefeatures.functions.LatencyPercentileFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION LATENCY_HISTOGRAM AS 'org.tracefeatures.functions.LatencyHistogramFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION LATENCY_EXEMPLARS AS 'org.tracefeatures.functions.LatencyExemplarsFunction' LANGUAGE JAVA;

-- Sink helpers.
CREATE TEMPORARY SYSTEM FUNCTION FIELD_SAFE_MAP AS 'org.tracefeatures.functions.FieldSafeMapFunction' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION JSON_STRING_MAP AS 'org.tracefeatures.functions.JsonStringMapFunction' LANGUAGE JAVA;
