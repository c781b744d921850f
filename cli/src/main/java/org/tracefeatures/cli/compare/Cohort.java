package org.tracefeatures.cli.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The traces of one cohort, column by column: each trace's id, pattern and features. A scalar feature (span count,
 * depth, ...) that a trace lacks is missing for it (NaN); a key of a map feature (span counts, critical path) that a
 * trace lacks is 0 for it, as the trace has no such span or no time on the path. Map features are stored sparsely.
 */
public final class Cohort {
    private final String label;
    private final List<String> traceIds = new ArrayList<>();
    private final List<String> patternIds = new ArrayList<>();
    private final Map<String, String> patternShapes = new LinkedHashMap<>();
    private final Map<String, double[]> scalars = new LinkedHashMap<>();
    private final Map<String, SparseColumn> mapKeys = new LinkedHashMap<>();
    /** the distinct sampling weights of the traces read (how many requests each stands for) */
    private final Set<Double> samplingWeights = new TreeSet<>();
    /** how many traces matched the cohort's query, of which these were read (all, unless sampled) */
    private long matching;

    public Cohort(String label) {
        this.label = label;
    }

    /** One trace's values, added in the order traces are read. */
    public void add(
            String traceId,
            String patternId,
            String patternShape,
            Map<String, Double> scalarValues,
            Map<String, Double> mapValues) {
        int index = traceIds.size();
        traceIds.add(traceId);
        patternIds.add(patternId);
        if (patternId != null && patternShape != null) {
            patternShapes.putIfAbsent(patternId, patternShape);
        }
        scalarValues.forEach((name, value) -> {
            double[] column = scalars.computeIfAbsent(name, n -> nanColumn(index + 1));
            if (column.length <= index) {
                column = grow(column, index + 1);
                scalars.put(name, column);
            }
            column[index] = value == null ? Double.NaN : value;
        });
        mapValues.forEach((name, value) -> {
            if (value != null) {
                mapKeys.computeIfAbsent(name, n -> new SparseColumn()).add(index, value);
            }
        });
    }

    /** Notes how many requests the trace last added stands for (1 / its sampling probability). */
    public void addSamplingWeight(double weight) {
        samplingWeights.add(weight);
    }

    /** The distinct sampling weights of the cohort's traces, in order. */
    public Set<Double> samplingWeights() {
        return samplingWeights;
    }

    public String label() {
        return label;
    }

    public int size() {
        return traceIds.size();
    }

    public long matching() {
        return Math.max(matching, size());
    }

    public void setMatching(long matching) {
        this.matching = matching;
    }

    public String traceId(int index) {
        return traceIds.get(index);
    }

    public String patternId(int index) {
        return patternIds.get(index);
    }

    public String patternShape(String patternId) {
        return patternShapes.get(patternId);
    }

    /** Every feature this cohort has a value of, sorted. */
    public Set<String> features() {
        Set<String> names = new TreeSet<>(scalars.keySet());
        names.addAll(mapKeys.keySet());
        return names;
    }

    public boolean isScalar(String feature) {
        return scalars.containsKey(feature);
    }

    /** The feature's value for every trace, in order: NaN where a scalar is missing, 0 where a map key is. */
    public double[] values(String feature) {
        double[] column = scalars.get(feature);
        if (column != null) {
            double[] values = new double[size()];
            Arrays.fill(values, Double.NaN);
            System.arraycopy(column, 0, values, 0, Math.min(column.length, values.length));
            return values;
        }
        double[] values = new double[size()];
        SparseColumn sparse = mapKeys.get(feature);
        if (sparse != null) {
            for (int i = 0; i < sparse.size; i++) {
                values[sparse.indexes[i]] = sparse.values[i];
            }
        }
        return values;
    }

    private static double[] nanColumn(int size) {
        double[] column = new double[Math.max(size, 16)];
        Arrays.fill(column, Double.NaN);
        return column;
    }

    /** A column of at least {@code size} entries, the new ones NaN. */
    private static double[] grow(double[] column, int size) {
        int old = column.length;
        double[] grown = Arrays.copyOf(column, Math.max(size, old * 2));
        Arrays.fill(grown, old, grown.length, Double.NaN);
        return grown;
    }

    /** The traces that have a map key, and its value in each. */
    private static final class SparseColumn {
        int[] indexes = new int[8];
        double[] values = new double[8];
        int size;

        void add(int index, double value) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            indexes[size] = index;
            values[size++] = value;
        }
    }
}
