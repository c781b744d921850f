package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;

/** PARENT_SPAN_ID and PARENT_REFERENCE_TYPE on references as flink-protobuf decodes them (internal data). */
class ParentSpanIdFunctionTest {
    private static final byte[] TRACE = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff};
    private static final byte[] OTHER_TRACE = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};

    private static GenericRowData reference(byte[] traceId, int spanId, String type) {
        return GenericRowData.of(traceId, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) spanId}, StringData.fromString(type));
    }

    @Test
    void theFirstChildOfReferenceIntoTheSameTraceIsTheParent() {
        // a link into another trace (CHILD_OF, first) is no parent; CHILD_OF beats an earlier FOLLOWS_FROM
        GenericArrayData references = new GenericArrayData(new Object[] {
            reference(OTHER_TRACE, 9, "CHILD_OF"),
            null,
            reference(TRACE, 1, "FOLLOWS_FROM"),
            reference(TRACE, 2, "CHILD_OF"),
            reference(TRACE, 3, "CHILD_OF")
        });

        assertThat(new ParentSpanIdFunction().eval(references, TRACE)).hasToString("0000000000000002");
        assertThat(new ParentReferenceTypeFunction().eval(references, TRACE)).isEqualTo("CHILD_OF");
    }

    @Test
    void aFollowsFromReferenceIsTheParentWhenThereIsNoChildOf() {
        GenericArrayData references = new GenericArrayData(new Object[] {reference(TRACE, 4, "FOLLOWS_FROM")});

        assertThat(new ParentSpanIdFunction().eval(references, TRACE)).hasToString("0000000000000004");
        assertThat(new ParentReferenceTypeFunction().eval(references, TRACE)).isEqualTo("FOLLOWS_FROM");
    }

    @Test
    void aReferenceWithoutTypeIsChildOfAsInJaegersJson() {
        GenericArrayData references = new GenericArrayData(
                new Object[] {GenericRowData.of(TRACE, new byte[] {0, 0, 0, 0, 0, 0, 0, 5}, null)});

        assertThat(new ParentSpanIdFunction().eval(references, TRACE)).hasToString("0000000000000005");
        assertThat(new ParentReferenceTypeFunction().eval(references, TRACE)).isEqualTo("CHILD_OF");
    }

    @Test
    void aSpanWithoutReferencesIsARoot() {
        assertThat(new ParentSpanIdFunction().eval(null, TRACE)).isNull();
        assertThat(new ParentReferenceTypeFunction().eval(new GenericArrayData(new Object[0]), TRACE))
                .isNull();
    }
}
