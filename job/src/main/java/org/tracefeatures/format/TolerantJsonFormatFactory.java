package org.tracefeatures.format;

import org.apache.flink.formats.json.JsonFormatFactory;

/**
 * Format {@code 'tolerant-json'}: Flink's json format (options under {@code 'tolerant-json.'}), with
 * records that are not JSON of the declared columns (malformed text, a bad base64 id, a tombstone) as
 * rows carrying {@code 'value.parse-error'} (see {@link TolerantFormatFactory}).
 */
public class TolerantJsonFormatFactory extends TolerantFormatFactory {
    public static final String IDENTIFIER = "tolerant-json";

    public TolerantJsonFormatFactory() {
        super(new JsonFormatFactory());
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }
}
