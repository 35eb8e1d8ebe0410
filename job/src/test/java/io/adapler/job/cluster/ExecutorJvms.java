package io.adapler.job.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The executor JVMs of a {@link StandaloneCluster}, found as descendants of its worker JVMs
 * (a worker starts each executor as {@code java ... CoarseGrainedExecutorBackend --executor-id
 * N ... --app-id APP}), and their killing by pid.
 */
final class ExecutorJvms {
  static final String BACKEND = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private ExecutorJvms() {}

  /** A live executor JVM: the worker that launched it, its application and executor id. */
  record ExecutorJvm(int worker, String appId, String executorId, ProcessHandle process) {
    long pid() {
      return process.pid();
    }
  }

  /** The executor JVMs running now under the cluster's workers. */
  static List<ExecutorJvm> list(StandaloneCluster cluster) {
    List<ExecutorJvm> found = new ArrayList<>();
    List<ProcessHandle> workers = cluster.workerProcesses();
    for (int w = 0; w < workers.size(); w++) {
      for (ProcessHandle h : workers.get(w).descendants().toList()) {
        List<String> args = arguments(h);
        int main = args.indexOf(BACKEND);
        if (main < 0) {
          continue;
        }
        Optional<String> exec = value(args, main, "--executor-id");
        Optional<String> app = value(args, main, "--app-id");
        if (exec.isPresent() && app.isPresent() && h.isAlive()) {
          found.add(new ExecutorJvm(w, app.get(), exec.get(), h));
        }
      }
    }
    return found;
  }

  /**
   * Sends SIGKILL to an executor JVM (no shutdown hooks, no goodbye to the driver: what an
   * OOM killer or a lost machine does) and waits until it is gone. Only a process whose
   * command line names the cluster's directory (its SPARK_HOME) is ever signalled.
   *
   * @throws IllegalStateException when the pid is no longer this cluster's executor, or it
   *     outlives the kill
   */
  static void kill(ExecutorJvm e, StandaloneCluster cluster) throws InterruptedException {
    String dir = cluster.dir().toString();
    List<String> args = arguments(e.process());
    if (!args.contains(BACKEND) || args.stream().noneMatch(a -> a.contains(dir))) {
      throw new IllegalStateException("pid " + e.pid() + " is not an executor of " + dir
          + ": " + args);
    }
    e.process().destroyForcibly(); // SIGKILL on Unix
    try {
      e.process().onExit().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
      throw new IllegalStateException("executor " + e + " still alive after SIGKILL", x);
    }
  }

  /**
   * A process's arguments, from /proc/PID/cmdline where there is one: ProcessHandle.Info
   * reads at most a page of it, and an executor's command line is longer than that, with
   * its ids at the end.
   */
  static List<String> arguments(ProcessHandle h) {
    Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        String all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
        return Arrays.asList(all.split("\0"));
      }
    } catch (IOException e) {
      return List.of(); // the process has just exited
    }
    List<String> args = new ArrayList<>();
    h.info().command().ifPresent(args::add);
    h.info().arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    return args;
  }

  private static Optional<String> value(List<String> args, int from, String flag) {
    for (int i = from; i < args.size() - 1; i++) {
      if (args.get(i).equals(flag)) {
        return Optional.of(args.get(i + 1));
      }
    }
    return Optional.empty();
  }
}
