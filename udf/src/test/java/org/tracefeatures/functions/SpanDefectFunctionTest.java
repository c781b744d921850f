package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.Test;

/** SPAN_DEFECT on the service name as Flink hands it over: a binary string, which may be empty or absent. */
class SpanDefectFunctionTest {
    private static final byte[] TRACE = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2};
    private static final byte[] SPAN = {0, 0, 0, 0, 0, 0, 0, 3};

    private static String defect(StringData service) {
        SpanDefectFunction function = new SpanDefectFunction();
        function.open(new FunctionContext(null));
        return function.eval(null, TRACE, SPAN, service, 0, 42L);
    }

    @Test
    void aNamedServiceIsNoDefectWhetherItsBytesComeFromTheRecordOrFromJavaText() {
        byte[] record = "..frontend..".getBytes(StandardCharsets.UTF_8);
        assertThat(defect(BinaryStringData.fromBytes(record, 2, 8))).isNull();
        assertThat(defect(StringData.fromString("frontend"))).isNull();
    }

    @Test
    void anEmptyOrAbsentServiceNameIsAMissingProcess() {
        assertThat(defect(BinaryStringData.EMPTY_UTF8)).isEqualTo("MISSING_PROCESS");
        assertThat(defect(StringData.fromString(""))).isEqualTo("MISSING_PROCESS");
        assertThat(defect(null)).isEqualTo("MISSING_PROCESS");
    }
}
