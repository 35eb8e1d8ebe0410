package io.adapler.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark standalone cluster on the loopback interface for integration tests: one master and
 * a few workers, each a child JVM started from a minimal {@link SparkHome}, and a
 * {@link #submit spark-submit} that runs the application jar on it in client mode. Tests start
 * one through {@link ClusterExtension}.
 *
 * <p>Everything binds to 127.0.0.1 (a worker and its executors to the worker's
 * {@link WorkerSpec#host}) and picks its own free ports. {@link #close} ends every process this
 * cluster started, with its descendants (the executors), also from a shutdown hook; processes
 * left behind by a killed earlier run are ended at the next start (only those whose command
 * line names this cluster's directory).
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL =
      Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern WORKER_REGISTERED = Pattern.compile("Registering worker ");
  private static final Duration MASTER_START = Duration.ofSeconds(90);

  private final String name;
  private final Path dir;
  private final List<WorkerSpec> workers;
  private final ChildProcesses processes;
  private final Thread shutdownHook = new Thread(this::close, "standalone-cluster-stop");
  private SparkHome sparkHome;
  private String masterUrl;

  private StandaloneCluster(String name, List<WorkerSpec> workers) {
    this.name = name;
    this.dir = ClusterPaths.buildDir().resolve("it-cluster").resolve(name).toAbsolutePath();
    this.workers = List.copyOf(workers);
    this.processes = new ChildProcesses(dir);
  }

  /**
   * Starts the master, waits for its URL, and starts the workers; {@link #awaitWorkers} waits
   * until they registered, so the caller can do other work while they boot.
   *
   * @param name a directory name under target/it-cluster, wiped first
   * @param workers one entry per worker
   * @return the started cluster (close it)
   */
  static StandaloneCluster start(String name, List<WorkerSpec> workers) throws IOException {
    StandaloneCluster cluster = new StandaloneCluster(name, workers);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.startProcesses();
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The directory holding the cluster's logs, work directories and SPARK_HOME. */
  Path dir() {
    return dir;
  }

  /** The master URL, spark://127.0.0.1:PORT. */
  String masterUrl() {
    return masterUrl;
  }

  /** The worker JVMs, by worker index: their children are the executors ({@link ExecutorJvms}). */
  List<ProcessHandle> workerProcesses() {
    return processes.list().subList(1, 1 + workers.size()).stream().map(Process::toHandle)
        .toList();
  }

  /** A worker's log, logs/worker-N.log. */
  Path workerLog(int worker) {
    return dir.resolve("logs/worker-" + worker + ".log");
  }

  private void startProcesses() throws IOException {
    processes.endLeftovers();
    ClusterPaths.deleteTree(dir);
    Files.createDirectories(dir.resolve("logs"));
    sparkHome = SparkHome.build(dir);

    Process master = processes.start(daemon("master", List.of(
        "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0",
        "--webui-port", "0"), Map.of("spark.master.rest.enabled", "false"), Map.of()));
    masterUrl = awaitLine(dir.resolve("logs/master.log"), MASTER_URL, MASTER_START, master)
        .group(1);

    for (int i = 0; i < workers.size(); i++) {
      WorkerSpec w = workers.get(i);
      Path work = Files.createDirectories(workDir(i));
      // The worker and its executors (which inherit its environment) bind to its address.
      Map<String, String> env = new LinkedHashMap<>(Map.of("SPARK_LOCAL_IP", w.host()));
      env.putAll(w.env());
      processes.start(daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker",
          "--host", w.host(), "--port", "0", "--webui-port", "0", "--cores",
          String.valueOf(w.cores()), "--memory", w.memory(), "--work-dir", work.toString(),
          masterUrl), w.sparkConf(), env));
    }
  }

  /**
   * Waits until every worker registered with the master.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException when the master or a worker exited, or the time ran out
   */
  void awaitWorkers(Duration timeout) {
    Path masterLog = dir.resolve("logs/master.log");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long registered = ClusterPaths.readLines(masterLog).stream()
          .filter(l -> WORKER_REGISTERED.matcher(l).find()).count();
      if (registered >= workers.size()) {
        return;
      }
      List<Process> started = processes.list();
      for (int i = 0; i < started.size(); i++) {
        if (!started.get(i).isAlive()) {
          String log = i == 0 ? "master" : "worker-" + (i - 1);
          throw new IllegalStateException(log + " exited with " + started.get(i).exitValue()
              + ":\n" + ClusterPaths.tail(dir.resolve("logs/" + log + ".log"), 40));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(registered + " of " + workers.size() + " workers"
            + " registered within " + timeout.toSeconds() + " s; see " + dir.resolve("logs"));
      }
      sleep(250);
    }
  }

  /**
   * Runs spark-submit in client mode against this cluster and waits for it.
   *
   * @param label names the driver's log files (logs/LABEL.out, logs/LABEL.err)
   * @param sparkArgs spark-submit options (--conf, --properties-file, ...)
   * @param appJar the application jar
   * @param appArgs the application's arguments
   * @param timeout the longest the driver may run; it is killed after that
   * @return the exit code and log files
   */
  Submission submit(String label, List<String> sparkArgs, Path appJar, List<String> appArgs,
      Duration timeout) throws IOException, InterruptedException {
    return new ClientSubmit(dir, sparkHome, processes).run(masterUrl, label, sparkArgs, appJar,
        appArgs, timeout);
  }

  /** The executor logs of the applications that ran on this cluster, by worker. */
  List<ExecutorLog> executorLogs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      dirs.add(workDir(i));
    }
    return ExecutorLog.under(dirs);
  }

  private Path workDir(int worker) {
    return dir.resolve("work-" + worker);
  }

  /** A master or worker JVM, logging to logs/LOG.log. */
  private ProcessBuilder daemon(String log, List<String> mainAndArgs,
      Map<String, String> sparkConf, Map<String, String> extraEnv) {
    List<String> cmd = new ArrayList<>(List.of(SparkHome.java()));
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")));
    cmd.add("-Xmx256m");
    cmd.addAll(SparkHome.jvmOptions());
    sparkConf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(sparkHome.classpath());
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    sparkHome.environment(pb.environment());
    pb.environment().putAll(extraEnv);
    Path file = dir.resolve("logs/" + log + ".log");
    return pb.redirectErrorStream(true).redirectOutput(file.toFile());
  }

  private static Matcher awaitLine(Path log, Pattern pattern, Duration timeout, Process owner) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String line : ClusterPaths.readLines(log)) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!owner.isAlive()) {
        throw new IllegalStateException(log.getFileName() + ": the process exited with "
            + owner.exitValue() + ":\n" + ClusterPaths.tail(log, 40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no line matching '" + pattern + "' in " + log
            + " within " + timeout.toSeconds() + " s:\n" + ClusterPaths.tail(log, 40));
      }
      sleep(200);
    }
  }

  /** Ends every process this cluster started (drivers and workers before the master). */
  @Override
  public void close() {
    processes.close();
    try {
      deleteApplicationJarCopies();
    } catch (IOException | UncheckedIOException e) {
      // best effort: logs and outputs stay for inspection either way
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this call is the hook
    }
  }

  /** Each executor's copy of the application jar (tens of MB each); its logs stay. */
  private void deleteApplicationJarCopies() throws IOException {
    for (int i = 0; i < workers.size(); i++) {
      if (!Files.isDirectory(workDir(i))) {
        continue;
      }
      try (Stream<Path> files = Files.walk(workDir(i), 3)) {
        for (Path jar : files.filter(p -> p.getFileName().toString().endsWith(".jar"))
            .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          Files.delete(jar);
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "StandaloneCluster[" + name + " at " + masterUrl + ", " + workers.size()
        + " workers]";
  }
}
