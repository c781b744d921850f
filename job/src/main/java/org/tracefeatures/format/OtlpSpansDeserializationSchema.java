package org.tracefeatures.format;

import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.RuntimeConverter;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.tracefeatures.otlp.OtlpToJaeger;

/**
 * One row per span of an OTLP TracesData record, mapped as Jaeger's OTLP translator maps spans (see
 * {@link OtlpToJaeger}). Throws for a record that is not a TracesData with spans, which the tolerant
 * wrapper turns into a row carrying the parse error.
 */
class OtlpSpansDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    /** from a {@link Row} of the declared columns to the internal row */
    private final DynamicTableSource.DataStructureConverter converter;
    /** for each declared column, its index in {@link OtlpSpansDecodingFormat#COLUMNS} */
    private final int[] columns;

    private final TypeInformation<RowData> producedType;

    OtlpSpansDeserializationSchema(
            DynamicTableSource.DataStructureConverter converter, int[] columns, TypeInformation<RowData> producedType) {
        this.converter = converter;
        this.columns = columns;
        this.producedType = producedType;
    }

    @Override
    public void open(InitializationContext context) {
        converter.open(
                RuntimeConverter.Context.create(context.getUserCodeClassLoader().asClassLoader()));
    }

    @Override
    public RowData deserialize(byte[] message) {
        throw new UnsupportedOperationException("an OTLP record holds many spans: use deserialize(message, collector)");
    }

    @Override
    public void deserialize(byte[] message, Collector<RowData> out) throws IOException {
        List<Span> spans = OtlpToJaeger.spans(TracesData.parseFrom(message));
        if (spans.isEmpty()) {
            throw new IOException("a TracesData without spans");
        }
        for (Span span : spans) {
            Object[] all = columns(span);
            Row row = new Row(columns.length);
            for (int i = 0; i < columns.length; i++) {
                row.setField(i, all[columns[i]]);
            }
            out.collect((RowData) converter.toInternal(row));
        }
    }

    /** The values of {@link OtlpSpansDecodingFormat#COLUMNS}, in its order. */
    static Object[] columns(Span span) {
        Row[] references = new Row[span.getReferencesCount()];
        for (int i = 0; i < references.length; i++) {
            SpanRef reference = span.getReferences(i);
            references[i] = Row.of(
                    reference.getTraceId().toByteArray(),
                    reference.getSpanId().toByteArray(),
                    reference.getRefType().name());
        }
        return new Object[] {
            span.getTraceId().toByteArray(),
            span.getSpanId().toByteArray(),
            span.getOperationName(),
            references,
            span.getStartTime().getSeconds() * 1_000_000 + span.getStartTime().getNanos() / 1000,
            span.getDuration().getSeconds() * 1_000_000 + span.getDuration().getNanos() / 1000,
            keyValues(span.getTagsList()),
            Row.of(
                    span.getProcess().getServiceName(),
                    keyValues(span.getProcess().getTagsList()))
        };
    }

    private static Row[] keyValues(List<KeyValue> tags) {
        Row[] rows = new Row[tags.size()];
        for (int i = 0; i < rows.length; i++) {
            KeyValue tag = tags.get(i);
            rows[i] = Row.of(
                    tag.getKey(),
                    tag.getVType().name(),
                    tag.getVStr(),
                    tag.getVBool(),
                    tag.getVInt64(),
                    tag.getVFloat64(),
                    tag.getVBinary().toByteArray());
        }
        return rows;
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OtlpSpansDeserializationSchema
                && Arrays.equals(columns, ((OtlpSpansDeserializationSchema) o).columns)
                && producedType.equals(((OtlpSpansDeserializationSchema) o).producedType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(producedType, Arrays.hashCode(columns));
    }
}
