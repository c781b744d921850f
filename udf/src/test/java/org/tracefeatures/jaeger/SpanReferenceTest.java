package org.tracefeatures.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanReferenceTest {
    private static final byte[] TRACE = {0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] OTHER_TRACE = {0, 0, 0, 0, 0, 0, 0, 2};

    private static byte[] span(int last) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) last};
    }

    @Test
    void noReferencesMeansRoot() {
        assertThat(SpanReference.parentOf(TRACE, List.of())).isNull();
    }

    @Test
    void childOfIsPreferredOverAnEarlierFollowsFrom() {
        SpanReference followsFrom = new SpanReference(TRACE, span(3), "FOLLOWS_FROM");
        SpanReference childOf = new SpanReference(TRACE, span(4), "CHILD_OF");
        assertThat(SpanReference.parentOf(TRACE, List.of(followsFrom, childOf))).isSameAs(childOf);
    }

    @Test
    void theFirstFollowsFromIsTheParentWhenThereIsNoChildOf() {
        SpanReference first = new SpanReference(TRACE, span(3), "FOLLOWS_FROM");
        SpanReference second = new SpanReference(TRACE, span(4), "FOLLOWS_FROM");
        assertThat(SpanReference.parentOf(TRACE, List.of(first, second))).isSameAs(first);
    }

    @Test
    void referencesIntoOtherTracesAreLinksNotParents() {
        SpanReference link = new SpanReference(OTHER_TRACE, span(3), "CHILD_OF");
        assertThat(SpanReference.parentOf(TRACE, List.of(link))).isNull();
    }

    @Test
    void aReferenceWithAMalformedSpanIdIsIgnored() {
        SpanReference broken = new SpanReference(TRACE, new byte[] {1, 2, 3}, "CHILD_OF");
        SpanReference good = new SpanReference(TRACE, span(5), "CHILD_OF");
        assertThat(SpanReference.parentOf(TRACE, List.of(broken, good))).isSameAs(good);
    }

    @Test
    void aReferenceOfAnUnknownTypeIsAParentAsChildOfIs() {
        // a ref_type number the .proto does not know: protobuf keeps it, flink-protobuf names it UNRECOGNIZED
        SpanReference followsFrom = new SpanReference(TRACE, span(3), "FOLLOWS_FROM");
        SpanReference unknown = new SpanReference(TRACE, span(4), "UNRECOGNIZED");
        assertThat(SpanReference.parentOf(TRACE, List.of(followsFrom, unknown))).isSameAs(unknown);
    }
}
