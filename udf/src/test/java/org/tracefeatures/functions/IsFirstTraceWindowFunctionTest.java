package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IsFirstTraceWindowFunctionTest {
    private final IsFirstTraceWindowFunction function = new IsFirstTraceWindowFunction();

    @BeforeEach
    void open() {
        // outside a task: metrics go to an unregistered group
        function.open(new FunctionContext(null));
    }

    @Test
    void theFirstWindowOfATraceIsKept() {
        assertThat(function.eval(1, "00000000000000000000000000000001", 53, 0L, 0L))
                .isTrue();
    }

    @Test
    void theFirstWindowIsKeptWithSpansOverTheCapAndRepeats() {
        assertThat(function.eval(1, "00000000000000000000000000000001", 3, 2L, 1L))
                .isTrue();
    }

    @Test
    void laterWindowsOfTheSameTraceAreDropped() {
        assertThat(function.eval(2, "00000000000000000000000000000001", 1, 0L, 0L))
                .isFalse();
        assertThat(function.eval(3, "00000000000000000000000000000001", 4, 0L, 2L))
                .isFalse();
    }

    @Test
    void aWindowWithoutCountsIsJudgedByItsNumberWithoutFailing() {
        assertThat(function.eval(2, "00000000000000000000000000000001", null, null, null))
                .isFalse();
        assertThat(function.eval(1, "00000000000000000000000000000002", null, null, null))
                .isTrue();
    }

    @Test
    void theFunctionMustNotBeFoldedOrReused() {
        assertThat(function.isDeterministic()).isFalse();
    }
}
