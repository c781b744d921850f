package org.tracefeatures.functions;

import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IsFirstTraceWindowFunctionTest {
    private final IsFirstTraceWindowFunction function = new IsFirstTraceWindowFunction();

    @BeforeEach
    void open() {
        // outside a task: metrics go to an unregistered group
        function.open(new FunctionContext(null));
    }

    @Test
    void theFirstWindowOfATraceIsKept() {
        assertThat(function.eval(1, "00000000000000000000000000000001", 53L)).isTrue();
    }

    @Test
    void laterWindowsOfTheSameTraceAreDropped() {
        assertThat(function.eval(2, "00000000000000000000000000000001", 1L)).isFalse();
        assertThat(function.eval(3, "00000000000000000000000000000001", 4L)).isFalse();
    }

    @Test
    void aWindowWithoutSpansIsDroppedWithoutFailing() {
        assertThat(function.eval(2, "00000000000000000000000000000001", null)).isFalse();
    }

    @Test
    void theFunctionMustNotBeFoldedOrReused() {
        assertThat(function.isDeterministic()).isFalse();
    }
}
