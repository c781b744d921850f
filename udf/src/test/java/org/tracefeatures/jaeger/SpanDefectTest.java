package org.tracefeatures.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanDefectTest {
    private static final byte[] TRACE = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2};
    private static final byte[] SPAN = {0, 0, 0, 0, 0, 0, 0, 3};

    @Test
    void aCompleteSpanHasNoDefect() {
        assertThat(SpanDefect.of(null, TRACE, SPAN, true)).isNull();
    }

    @Test
    void eachDefectIsNamed() {
        assertThat(SpanDefect.of("InvalidProtocolBufferException", null, null, false))
                .isEqualTo(SpanDefect.UNDECODABLE);
        assertThat(SpanDefect.of(null, new byte[0], SPAN, true)).isEqualTo(SpanDefect.EMPTY_TRACE_ID);
        assertThat(SpanDefect.of(null, new byte[16], SPAN, true)).isEqualTo(SpanDefect.EMPTY_TRACE_ID);
        assertThat(SpanDefect.of(null, new byte[] {1, 2, 3}, SPAN, true)).isEqualTo(SpanDefect.MALFORMED_TRACE_ID);
        assertThat(SpanDefect.of(null, TRACE, new byte[0], true)).isEqualTo(SpanDefect.MALFORMED_SPAN_ID);
        assertThat(SpanDefect.of(null, TRACE, SPAN, false)).isEqualTo(SpanDefect.MISSING_PROCESS);
    }

    @Test
    void metricNamesAreCamelCase() {
        assertThat(SpanDefect.EMPTY_TRACE_ID.metricName()).isEqualTo("emptyTraceId");
        assertThat(SpanDefect.UNDECODABLE.metricName()).isEqualTo("undecodable");
    }
}
