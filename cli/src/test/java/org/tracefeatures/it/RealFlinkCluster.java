package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tracefeatures.stack.FlinkCluster;
import org.tracefeatures.stack.FlinkClusterConfig;

/**
 * The Flink standalone session cluster of `cluster up` (a JobManager and one TaskManager, each its own JVM, the
 * TaskManager with six slots per FaultInjectionITCase test that runs at once), started once per test run on ports of its own (-Dit.flink.port: REST, and JobManager
 * RPC on the next port) and stopped at the end of the run, also when a test fails. Use it after {@link RealStack}.
 */
public final class RealFlinkCluster implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    public static final int REST_PORT = Integer.getInteger("tracefeatures.it.flink-port", 18081);

    private static FlinkCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (RealFlinkCluster.class) {
            if (cluster != null) {
                return;
            }
            List<String> jvmOptions;
            try {
                jvmOptions = Arrays.asList(Files.readString(RealStack.HOME.resolve("cli/target/classes/jvm.options"))
                        .trim()
                        .split("\\s+"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FlinkClusterConfig config = FlinkClusterConfig.defaults(
                            RealStack.HOME, RealStack.WORK_DIR.resolve("flink-cluster"), jvmOptions)
                    .withPorts(REST_PORT, REST_PORT + 1)
                    // a test of FaultInjectionITCase runs three jobs at once, each of parallelism 2, and as many
                    // tests run side by side as the failsafe configuration has threads
                    .withTaskSlots(6 * Integer.getInteger("tracefeatures.it.fault-injection.parallelism", 1));
            FlinkCluster started = new FlinkCluster(config, new PrintWriter(System.out, true));
            started.down(); // whatever an aborted earlier run left behind
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RealFlinkCluster.class.getName(), this);
            cluster = started;
            started.up();
        }
    }

    @Override
    public void close() {
        synchronized (RealFlinkCluster.class) {
            if (cluster != null) {
                cluster.down();
                cluster = null;
            }
        }
    }

    public static FlinkCluster cluster() {
        return cluster;
    }

    /** A GET on the cluster's REST API; fails the test when it does not answer. */
    public static JsonNode rest(String path) {
        return cluster.rest(path).orElseThrow(() -> new AssertionError("no answer from Flink REST " + path));
    }
}
