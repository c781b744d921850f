package org.tracefeatures.stack;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The main class of the Elasticsearch JVM: runs the codelibs cluster runner as the runner's own main does, with two
 * differences that the runner has no command-line option for.
 * <ul>
 * <li>The runner's main serves HTTP only on ports up to 9299: above that it refuses to start, and below it it quietly
 * moves to the next free port when the asked one is taken. Lifting that limit makes the node serve on exactly the
 * asked port or fail.</li>
 * <li>The runner gives its nodes the roles master and data only; a plain Elasticsearch node also has ingest, without
 * which an index template naming a default pipeline would make every write fail.</li>
 * </ul>
 *
 * <p>It reaches the runner through reflection so that the launcher does not depend on Elasticsearch: the launcher
 * copies this one class file next to the node's classpath.
 */
final class ElasticsearchNodeMain {

    static final String RUNNER_CLASS = "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner";
    private static final String[] NODE_ROLES = {"master", "data", "ingest"};

    private ElasticsearchNodeMain() {}

    public static void main(String[] args) throws ReflectiveOperationException, InterruptedException {
        Class<?> runnerClass = Class.forName(RUNNER_CLASS);
        Closeable runner = (Closeable) runnerClass.getConstructor().newInstance();
        runnerClass.getMethod("setMaxHttpPort", int.class).invoke(runner, -1);
        Class<?> settingsCallback = Class.forName(RUNNER_CLASS + "$Builder");
        runnerClass
                .getMethod("onBuild", settingsCallback)
                .invoke(
                        runner,
                        Proxy.newProxyInstance(
                                settingsCallback.getClassLoader(), new Class<?>[] {settingsCallback}, setNodeRoles()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(runner), "close-elasticsearch"));
        try {
            runnerClass.getMethod("build", String[].class).invoke(runner, (Object) args);
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace();
            System.exit(1);
        }
        // Elasticsearch runs on daemon threads only: without a live main thread the JVM would exit at once
        Thread.currentThread().join();
    }

    /** The runner's settings callback, {@code build(int nodeIndex, Settings.Builder settings)}. */
    private static InvocationHandler setNodeRoles() {
        return (proxy, method, arguments) -> {
            if (!method.getName().equals("build")) {
                throw new UnsupportedOperationException(method.getName());
            }
            Object settings = arguments[1];
            settings.getClass()
                    .getMethod("putList", String.class, String[].class)
                    .invoke(settings, "node.roles", NODE_ROLES);
            return null;
        };
    }

    private static void close(Closeable runner) {
        try {
            runner.close();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
