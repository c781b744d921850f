package org.tracefeatures.stack;

import java.util.List;

/**
 * The local Flink cluster as {@link FlinkCluster#status()} found it.
 *
 * @param jobManager             healthy when the REST API answers
 * @param taskManagers           one per TaskManager pid file; healthy when the JobManager lists it as registered
 * @param registeredTaskManagers how many TaskManagers the JobManager counts, lost ones included until their
 *                               heartbeat times out
 * @param webUi                  the web UI and REST API
 */
public record FlinkClusterStatus(
        ServerStatus jobManager,
        List<ServerStatus> taskManagers,
        int registeredTaskManagers,
        int slotsTotal,
        int slotsAvailable,
        int jobsRunning,
        String webUi) {

    public boolean isHealthy() {
        return jobManager.healthy()
                && !taskManagers.isEmpty()
                && taskManagers.stream().filter(ServerStatus::running).allMatch(ServerStatus::healthy)
                && taskManagers.stream().anyMatch(ServerStatus::running);
    }
}
