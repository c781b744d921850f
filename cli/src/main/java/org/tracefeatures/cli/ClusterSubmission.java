package org.tracefeatures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code flink run} sets to submit a job to a running session cluster: the remote executor, the cluster's REST
 * endpoint, and the jar the TaskManagers load the job's classes from (the packaged job's shaded jar: the connectors,
 * formats and functions that a Flink distribution lacks).
 */
public final class ClusterSubmission {
    private ClusterSubmission() {}

    public static Map<String, String> configuration(String restAddress, int restPort, Path shadedJar) {
        if (!Files.isRegularFile(shadedJar)) {
            throw new IllegalArgumentException(shadedJar
                    + " is missing: build it with `mvn -pl job -am package` (bin/tracefeatures does so itself)");
        }
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("execution.target", "remote");
        configuration.put("rest.address", restAddress);
        configuration.put("rest.port", String.valueOf(restPort));
        configuration.put(
                "pipeline.jars", shadedJar.toAbsolutePath().normalize().toUri().toString());
        return configuration;
    }

    public static Path shadedJar(Path home) {
        return home.resolve("job").resolve("target").resolve("tracefeatures-job.jar");
    }

    public static String webUi(String restAddress, int restPort, String jobId) {
        return "http://" + restAddress + ":" + restPort + "/#/job/running/" + jobId + "/overview";
    }
}
