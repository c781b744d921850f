package org.tracefeatures.functions;

import org.tracefeatures.trace.Span;

import java.util.HashMap;
import java.util.Map;

/** The spans of one trace collected so far, keyed by {@link Span#identity()} so that repeats drop. */
public class TraceAccumulator {
    public Map<String, Span> spans = new HashMap<>();
}
