package org.tracefeatures.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** What the CLI does for a bounded run on a MiniCluster in its own process. */
final class BoundedRuns {
    private BoundedRuns() {}

    /**
     * Leaves out of the console the periodic checkpoints that fall on tasks already finishing at the end of a bounded
     * run: Flink declines them and logs each with a 40-line stack trace at WARN, although nothing is wrong. A checkpoint
     * that does fail in a bounded run fails the job, and the run reports that failure itself.
     */
    static void quietDeclinedCheckpoints() {
        Configurator.setLevel("org.apache.flink.runtime.checkpoint.CheckpointFailureManager", Level.ERROR);
    }
}
