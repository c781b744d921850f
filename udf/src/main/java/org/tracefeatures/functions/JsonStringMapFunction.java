package org.tracefeatures.functions;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code JSON_STRING_MAP(text)}: a JSON object, as JSON_OBJECT writes it, as a map of its members, each value as
 * text (a string's own text, any other value as JSON); NULL for NULL or text that is not a JSON object. So a group
 * key written with JSON_OBJECT (comparable, unlike a map) becomes a map again for a document.
 */
public class JsonStringMapFunction extends ScalarFunction {
    /** Flink's own Jackson, as its JSON functions use it: the job's classpath may hold another jackson-core. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public @DataTypeHint("MAP<STRING, STRING>") Map<String, String> eval(String text) {
        if (text == null) {
            return null;
        }
        JsonNode object;
        try {
            object = JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
        if (object == null || !object.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        object.fields()
                .forEachRemaining(member -> map.put(
                        member.getKey(),
                        member.getValue().isTextual()
                                ? member.getValue().asText()
                                : member.getValue().toString()));
        return map;
    }
}
