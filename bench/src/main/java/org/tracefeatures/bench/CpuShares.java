package org.tracefeatures.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a contender JVM's CPU time went besides the job's own threads, read from the threads'
 * {@code /proc/self/task/TID/stat} at the end of the run: the JIT compiler threads, the garbage collector's
 * threads, and the main thread (which plans a SQL job before it starts, and runs the ceiling's consumer loop).
 * The rest of the process's CPU time is the job: Flink's task threads and runtime, Kafka's client threads.
 *
 * <p>These threads live as long as the JVM, so reading them once at the end misses nothing; the task threads,
 * which end with the job, are what the process total minus these shares counts. (On 2 cores the JVM runs one C1 and
 * one C2 compiler thread and keeps both; on more cores it stops extra compiler threads when idle, and their time
 * goes with them, so there the JIT share is a lower bound.) On a 2-core machine compilation competes with the job
 * for the same cores, so a job whose code keeps the compiler busy runs slower even when its own threads need no
 * more CPU than another's.
 */
record CpuShares(long jitMs, long gcMs, long mainMs) {

    static CpuShares ofThisProcess() throws IOException {
        long ticksPerSecond = 100; // /proc gives thread times in USER_HZ, hundredths of a second on x86 and ARM Linux
        // the JVM names its own threads and Java's, except the main thread, which keeps the process's name (as does
        // the launcher's first thread, which only waits)
        String processName = Files.readString(Path.of("/proc/self/comm")).strip();
        long jit = 0;
        long gc = 0;
        long main = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException threadEnded) {
                    continue;
                }
                // "TID (NAME) STATE ..."; the name may hold spaces and parentheses, so it ends at the last ')'
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / ticksPerSecond;
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    jit += ms;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
                    // the VM thread runs the collector's pauses (and the few other stop-the-world operations)
                    gc += ms;
                } else if (name.equals(processName)) {
                    main += ms;
                }
            }
        }
        return new CpuShares(jit, gc, main);
    }
}
