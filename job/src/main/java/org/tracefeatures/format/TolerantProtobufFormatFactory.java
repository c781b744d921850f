package org.tracefeatures.format;

import org.apache.flink.formats.protobuf.PbFormatFactory;

/**
 * Format {@code 'tolerant-protobuf'}: flink-protobuf (options under {@code 'tolerant-protobuf.'}), with undecodable
 * records as rows carrying {@code 'value.parse-error'} (see {@link TolerantFormatFactory}).
 */
public class TolerantProtobufFormatFactory extends TolerantFormatFactory {
    public static final String IDENTIFIER = "tolerant-protobuf";

    public TolerantProtobufFormatFactory() {
        super(new PbFormatFactory());
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }
}
