package org.tracefeatures.format;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;

/**
 * A format that decodes as another one does, except that a record it cannot decode neither fails the
 * job nor vanishes without a trace. It becomes a row whose physical columns are all null and whose
 * metadata column {@code 'value.parse-error'} says why, so that the span view can count and log it
 * together with its Kafka partition and offset (which a format never sees).
 *
 * <p>Takes the options of the wrapped format under its own prefix, e.g.
 * {@code 'tolerant-protobuf.message-class-name' = 'io.jaegertracing.api_v2.Span'}.
 */
abstract class TolerantFormatFactory implements DeserializationFormatFactory {
    private final DeserializationFormatFactory wrapped;

    TolerantFormatFactory(DeserializationFormatFactory wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        return new TolerantDecodingFormat(decodingFormat(wrapped, context, formatOptions));
    }

    /** The format to make tolerant: the wrapped factory's, unless a subclass decodes otherwise. */
    DecodingFormat<DeserializationSchema<RowData>> decodingFormat(
            DeserializationFormatFactory wrapped, DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        return wrapped.createDecodingFormat(context, formatOptions);
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return wrapped.requiredOptions();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return wrapped.optionalOptions();
    }
}
