package org.tracefeatures.format;

import com.google.protobuf.Descriptors.Descriptor;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Decodes a protobuf record straight from its wire format into Flink's internal row, giving the rows
 * flink-protobuf gives for the same message class and row type (see {@link ProtobufMessageLayout} for
 * the rules and for the cases it leaves to flink-protobuf).
 *
 * <p>Why not flink-protobuf: it parses the whole generated message first (every field, every string
 * decoded into a java.lang.String) and then encodes each string back into UTF-8 for the row. Here
 * strings stay the record's own UTF-8 bytes (checked, not copied), fields outside the row type are only
 * checked, and nothing is built that the row does not hold.
 *
 * <p>A record that is not a valid message fails with protobuf-java's exception and message, so that
 * the tolerant wrapper reports it as before.
 *
 * <p>The row's strings are views into the record's byte array: the caller must not reuse that array for
 * the next record. The Kafka connector gives each record an array of its own; a source that reuses its
 * buffer would need a copy here.
 */
public final class ProtobufRowDecoder implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final String messageClassName;
    private final RowType rowType;
    private final TypeInformation<RowData> producedType;
    /** flink-protobuf's 'ignore-parse-errors': an undecodable record gives no row instead of failing */
    private final boolean ignoreParseErrors;
    /** flink-protobuf's 'read-default-values': absent messages and repeated fields as defaults, not null */
    private final boolean readDefaultValues;

    private transient ProtobufMessageLayout layout;
    private transient ProtobufWireReader reader;

    public ProtobufRowDecoder(
            String messageClassName,
            RowType rowType,
            TypeInformation<RowData> producedType,
            boolean ignoreParseErrors,
            boolean readDefaultValues) {
        this.messageClassName = messageClassName;
        this.rowType = rowType;
        this.producedType = producedType;
        this.ignoreParseErrors = ignoreParseErrors;
        this.readDefaultValues = readDefaultValues;
    }

    /** The descriptor of a generated message class, from its static getDescriptor(). */
    static Descriptor descriptor(String messageClassName, ClassLoader classLoader) {
        try {
            Class<?> messageClass = Class.forName(messageClassName, true, classLoader);
            return (Descriptor) messageClass.getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ValidationException(
                    "Cannot read the protobuf descriptor of " + messageClassName
                            + ": put its generated class (protoc --java_out) on the classpath",
                    e);
        }
    }

    @Override
    public void open(InitializationContext context) {
        ClassLoader classLoader = context.getUserCodeClassLoader().asClassLoader();
        open(classLoader);
    }

    /** Builds the layout (descriptors are not serializable, so each task builds its own). */
    void open(ClassLoader classLoader) {
        layout = ProtobufMessageLayout.of(descriptor(messageClassName, classLoader), rowType, readDefaultValues);
        reader = new ProtobufWireReader();
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        try {
            reader.reset(message);
            GenericRowData row = new GenericRowData(layout.arity);
            layout.merge(reader, row);
            layout.finish(row);
            return row;
        } catch (IOException | RuntimeException e) {
            // like flink-protobuf, ignore-parse-errors skips whatever failed, not only malformed input
            if (ignoreParseErrors) {
                return null;
            }
            throw e;
        }
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
        if (!(o instanceof ProtobufRowDecoder)) {
            return false;
        }
        ProtobufRowDecoder other = (ProtobufRowDecoder) o;
        return messageClassName.equals(other.messageClassName)
                && rowType.equals(other.rowType)
                && producedType.equals(other.producedType)
                && ignoreParseErrors == other.ignoreParseErrors
                && readDefaultValues == other.readDefaultValues;
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageClassName, rowType, producedType, ignoreParseErrors, readDefaultValues);
    }
}
