package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SAMPLING_WEIGHT(sampler_type, sampler_param, trace_state)}: how many traces one sampled trace stands for,
 * 1 / its sampling probability; NULL when the span says nothing about it.
 *
 * <ul>
 *   <li>Jaeger clients tag the root span {@code sampler.type=probabilistic} and {@code sampler.param=p}: 1 / p for
 *       0 &lt; p &lt;= 1. Other sampler types (const, ratelimiting, remote lower bounds) give no probability.
 *   <li>OpenTelemetry writes its rejection threshold into the W3C trace state, {@code ot=th:T} (T: 1 to 14 hex
 *       digits, right-padded with zeros to 14): the probability is (2^56 - T) / 2^56, so the weight is
 *       2^56 / (2^56 - T); {@code th:0} is 1.
 * </ul>
 *
 * The trace state wins when both are there: it is what the SDK that sampled decided.
 */
public class SamplingWeightFunction extends ScalarFunction {
    private static final double TWO_TO_THE_56 = 0x1p56;
    private static final int THRESHOLD_DIGITS = 14;

    public Double eval(String samplerType, String samplerParam, String traceState) {
        Double fromTraceState = fromTraceState(traceState);
        if (fromTraceState != null) {
            return fromTraceState;
        }
        if (!"probabilistic".equals(samplerType) || samplerParam == null) {
            return null;
        }
        try {
            double probability = Double.parseDouble(samplerParam.trim());
            return probability > 0 && probability <= 1 ? 1 / probability : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double fromTraceState(String traceState) {
        if (traceState == null) {
            return null;
        }
        for (String member : traceState.split(",")) {
            String trimmed = member.trim();
            if (!trimmed.startsWith("ot=")) {
                continue;
            }
            for (String field : trimmed.substring("ot=".length()).split(";")) {
                if (field.startsWith("th:")) {
                    return thresholdWeight(field.substring("th:".length()));
                }
            }
        }
        return null;
    }

    private static Double thresholdWeight(String hex) {
        if (hex.isEmpty() || hex.length() > THRESHOLD_DIGITS || !hex.matches("[0-9a-f]+")) {
            return null;
        }
        long threshold = Long.parseLong(hex, 16) << (4 * (THRESHOLD_DIGITS - hex.length()));
        return TWO_TO_THE_56 / (TWO_TO_THE_56 - threshold);
    }
}
