package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IsLateSpanFunctionTest {
    private static final String TRACE = "00000000000000a1";
    private final IsLateSpanFunction function = new IsLateSpanFunction();

    @BeforeEach
    void open() {
        // outside a task: metrics go to an unregistered group
        function.open(new FunctionContext(null));
    }

    @Test
    void aWindowWhoseLastMillisecondIsAfterTheWatermarkStillTakesTheSpan() {
        // the window [.., 10,000) fires when the watermark reaches 9,999
        assertThat(function.eval(10_000L, 9_998L, TRACE, 0, 17L)).isFalse();
    }

    @Test
    void aWindowWhoseLastMillisecondTheWatermarkReachedIsLate() {
        assertThat(function.eval(10_000L, 9_999L, TRACE, 0, 17L)).isTrue();
        assertThat(function.eval(10_000L, 60_000L, TRACE, 1, 18L)).isTrue();
    }

    @Test
    void beforeTheFirstWatermarkNoSpanIsLate() {
        assertThat(function.eval(10_000L, null, TRACE, 0, 0L)).isFalse();
    }

    @Test
    void theFunctionMustNotBeFoldedOrReused() {
        assertThat(function.isDeterministic()).isFalse();
    }
}
