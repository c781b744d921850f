package org.tracefeatures.simulator;

import java.util.List;

/** What an endpoint calls before doing its own work: one call, calls in sequence, or calls in parallel. */
public sealed interface Dependency permits Dependency.Call, Dependency.Sequence, Dependency.Parallel {

    /** One HTTP call to {@code endpoint} of {@code service}. */
    record Call(String service, String endpoint) implements Dependency {}

    /** Items run one after another; the sequence stops at the first item that fails. */
    record Sequence(List<Dependency> items) implements Dependency {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /**
     * Items run concurrently on at most {@code maxPar} lanes, taken in list order by whichever lane frees up first;
     * every item runs even when another fails. {@code maxPar} 0 means one lane per item.
     */
    record Parallel(List<Dependency> items, int maxPar) implements Dependency {
        public Parallel {
            items = List.copyOf(items);
        }

        public int lanes() {
            return maxPar == 0 ? items.size() : Math.min(maxPar, items.size());
        }
    }
}
