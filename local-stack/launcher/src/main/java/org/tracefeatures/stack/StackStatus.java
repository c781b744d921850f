package org.tracefeatures.stack;

import java.util.List;

/** Both servers of the local stack as {@link LocalStack#status()} found them. */
public record StackStatus(ServerStatus kafka, ServerStatus elasticsearch) {

    public List<ServerStatus> servers() {
        return List.of(kafka, elasticsearch);
    }

    public boolean isHealthy() {
        return kafka.healthy() && elasticsearch.healthy();
    }
}
