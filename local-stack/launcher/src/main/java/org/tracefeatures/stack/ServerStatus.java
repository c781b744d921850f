package org.tracefeatures.stack;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One server of the local stack as {@link LocalStack#status()} found it.
 *
 * @param name    "Kafka" or "Elasticsearch"
 * @param running whether the process of the pid file is alive
 * @param pid     its pid, when running
 * @param port    the port clients use (the Kafka listener, the Elasticsearch HTTP port)
 * @param healthy whether it answered: Kafka a metadata request, Elasticsearch a yellow or green cluster health
 * @param logFile where its output goes
 */
public record ServerStatus(String name, boolean running, OptionalLong pid, int port, boolean healthy, Path logFile) {}
