package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.tracefeatures.documents.FieldSafeMap;

/**
 * {@code SERVICE_VERSIONS(service, version)}: per service of the group, the greatest of its non-null versions (see
 * {@link #compareVersions}: 1.10 after 1.9), so that a trace that crosses two versions of a service mid-deploy has one, whatever the order its spans
 * came in. A '.' in a service name becomes '@', as in span counts, so that every key is a field of the document.
 * An empty map when no span has a version.
 *
 * <p>The accumulator is a RAW value: the window operator hands it over per span as it is, where a structured type
 * would be converted to and from Flink's internal form for every span, map included, versions or not. Every job that
 * reads the trace view pays for this aggregate (bench/README.md, 2026-12-06 (2)).
 */
@FunctionHint(
        accumulator = @DataTypeHint(value = "RAW", bridgedTo = ServiceVersionsFunction.Versions.class),
        output = @DataTypeHint("MAP<STRING, STRING>"))
public class ServiceVersionsFunction extends AggregateFunction<Map<String, String>, ServiceVersionsFunction.Versions> {

    /** The versions so far, keyed by the field-safe service name. */
    public static final class Versions {
        public HashMap<String, String> byService = new HashMap<>();

        void add(String service, String version) {
            byService.merge(service, version, (a, b) -> compareVersions(a, b) >= 0 ? a : b);
        }
    }

    /**
     * Versions compared as people read them: runs of digits as numbers, the rest as text, left to right ("1.10" is
     * greater than "1.9"); equal runs of digits with other leading zeros, then the whole text,
     * break ties, so the order is total.
     */
    static int compareVersions(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String digitsA = a.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String digitsB = b.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int byLength = Integer.compare(digitsA.length(), digitsB.length());
                int byDigits = byLength != 0 ? byLength : digitsA.compareTo(digitsB);
                if (byDigits != 0) {
                    return byDigits;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b);
    }

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    @Override
    public Versions createAccumulator() {
        return new Versions();
    }

    public void accumulate(Versions accumulator, String service, String version) {
        if (service != null && version != null) {
            accumulator.add(service.replace('.', FieldSafeMap.DOT_REPLACEMENT), version);
        }
    }

    public void merge(Versions accumulator, Iterable<Versions> others) {
        for (Versions other : others) {
            other.byService.forEach(accumulator::add);
        }
    }

    @Override
    public Map<String, String> getValue(Versions accumulator) {
        return new HashMap<>(accumulator.byService);
    }
}
