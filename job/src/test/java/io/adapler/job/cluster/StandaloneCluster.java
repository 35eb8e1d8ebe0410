package io.adapler.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark standalone cluster on the loopback interface for integration tests: one master and a few workers,
 * each a child JVM started from the Spark jars of {@code job/target/local-classpath.txt}, and a
 * {@link #submit spark-submit} that runs the application jar on it in client mode.
 *
 * <p>There is no Spark distribution on the build machine, so the cluster gets a minimal
 * {@code SPARK_HOME} under {@code target/}: {@code jars/} holds links to the Spark jars (the
 * local classpath without the application's own jars, which the application jar carries) and
 * {@code conf/} is empty. That is all a worker needs to build an executor's command
 * ({@code SPARK_HOME/jars/*} is the executor classpath), given {@code SPARK_SCALA_VERSION},
 * which {@code bin/load-spark-env.sh} sets in a real distribution. The driver JVM is built the
 * way {@code bin/spark-submit} builds it: {@code org.apache.spark.launcher.Main} prints the
 * command, then it runs.
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

  /**
   * One worker: its loopback address, cores and memory, plus worker-only system properties and
   * environment. Workers on different addresses (127.0.0.2, ...) are different hosts to Spark,
   * which matters where it avoids a host, as speculation does for a task's copy.
   */
  record WorkerSpec(String host, int cores, String memory, Map<String, String> sparkConf,
      Map<String, String> env) {
    static WorkerSpec of(int cores, String memory) {
      return new WorkerSpec("127.0.0.1", cores, memory, Map.of(), Map.of());
    }

    WorkerSpec onHost(String address) {
      return new WorkerSpec(address, cores, memory, sparkConf, env);
    }

    WorkerSpec withConf(String key, String value) {
      Map<String, String> c = new LinkedHashMap<>(sparkConf);
      c.put(key, value);
      return new WorkerSpec(host, cores, memory, c, env);
    }

    WorkerSpec withEnv(String key, String value) {
      Map<String, String> e = new LinkedHashMap<>(env);
      e.put(key, value);
      return new WorkerSpec(host, cores, memory, sparkConf, e);
    }
  }

  /** What a spark-submit run left: its exit code and where its output went. */
  record Submission(int exitCode, Path stdout, Path stderr, Duration took) {
    String describe() {
      return "spark-submit exited with " + exitCode + " after " + took.toSeconds() + " s; stdout "
          + stdout + ", stderr " + stderr + "\n--- last lines of stderr ---\n"
          + ClusterPaths.tail(stderr, 40) + "\n--- last lines of stdout ---\n"
          + ClusterPaths.tail(stdout, 20);
    }
  }

  /** One executor's log, under its worker's work directory: app-ID/EXEC_ID/stderr. */
  record ExecutorLog(int worker, String appId, String executorId, Path stderr) {
    List<String> lines() {
      return ClusterPaths.readLines(stderr);
    }
  }

  private final String name;
  private final Path dir;
  private final Path sparkHome;
  private final List<WorkerSpec> workers;
  private final List<Process> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "standalone-cluster-stop");
  private String masterUrl;
  private boolean closed;

  private StandaloneCluster(String name, List<WorkerSpec> workers) {
    this.name = name;
    this.dir = ClusterPaths.buildDir().resolve("it-cluster").resolve(name).toAbsolutePath();
    this.sparkHome = dir.resolve("spark-home");
    this.workers = List.copyOf(workers);
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
  synchronized List<ProcessHandle> workerProcesses() {
    return processes.subList(1, 1 + workers.size()).stream().map(Process::toHandle).toList();
  }

  private void startProcesses() throws IOException {
    endLeftovers();
    ClusterPaths.deleteTree(dir);
    Files.createDirectories(dir.resolve("logs"));
    buildSparkHome();

    launch(daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host",
        "127.0.0.1", "--port", "0", "--webui-port", "0"), Map.of("spark.master.rest.enabled",
        "false"), Map.of()));
    Path masterLog = dir.resolve("logs/master.log");
    masterUrl = awaitLine(masterLog, MASTER_URL, MASTER_START, processes.get(0)).group(1);

    for (int i = 0; i < workers.size(); i++) {
      WorkerSpec w = workers.get(i);
      Path work = dir.resolve("work-" + i);
      Files.createDirectories(work);
      // The worker and its executors (which inherit its environment) bind to its address.
      Map<String, String> env = new LinkedHashMap<>(Map.of("SPARK_LOCAL_IP", w.host()));
      env.putAll(w.env());
      launch(daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker",
          "--host", w.host(), "--port", "0", "--webui-port", "0", "--cores",
          String.valueOf(w.cores()), "--memory", w.memory(), "--work-dir", work.toString(),
          masterUrl), w.sparkConf(), env));
    }
  }

  /**
   * Waits until every worker registered with the master.
   *
   * @param timeout how long to wait
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
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          String log = i == 0 ? "master" : "worker-" + (i - 1);
          throw new IllegalStateException(log + " exited with " + processes.get(i).exitValue()
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
    List<String> submitArgs = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", masterUrl, "--deploy-mode", "client",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false",
        "--conf", "spark.local.dir=" + dir.resolve("local-driver"),
        "--conf", "spark.driver.defaultJavaOptions=" + String.join(" ", testJvmOptions())));
    submitArgs.addAll(sparkArgs);
    submitArgs.add(appJar.toString());
    submitArgs.addAll(appArgs);

    // What bin/spark-submit does: ask the launcher for the driver's command, then run it.
    List<String> launcher = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", sparkClasspath(),
        "org.apache.spark.launcher.Main"));
    launcher.addAll(submitArgs);
    ProcessBuilder lb = new ProcessBuilder(launcher).directory(ClusterPaths.repoRoot().toFile());
    environment(lb.environment());
    Path launcherErr = dir.resolve("logs/" + label + "-launcher.err");
    lb.redirectError(launcherErr.toFile());
    Process lp = lb.start();
    byte[] printed = lp.getInputStream().readAllBytes();
    if (!lp.waitFor(60, TimeUnit.SECONDS) || lp.exitValue() != 0) {
      lp.destroyForcibly();
      throw new IllegalStateException("the Spark launcher failed: "
          + ClusterPaths.tail(launcherErr, 20));
    }
    // NUL-separated arguments (as bin/spark-class reads them), led by a "\0\n".
    List<String> command = new ArrayList<>();
    for (String arg : new String(printed, StandardCharsets.UTF_8).split("\0")) {
      String a = arg.replaceFirst("^\n+", "");
      if (!a.isEmpty()) {
        command.add(a);
      }
    }

    Path out = dir.resolve("logs/" + label + ".out");
    Path err = dir.resolve("logs/" + label + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(ClusterPaths.repoRoot().toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    environment(pb.environment());
    long start = System.nanoTime();
    Process driver = launch(pb);
    boolean done = driver.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      stop(driver);
      Files.writeString(err, "\n[test] spark-submit killed after " + timeout.toSeconds()
          + " s\n", java.nio.file.StandardOpenOption.APPEND);
    }
    return new Submission(done ? driver.exitValue() : -1, out, err,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The executor logs of the (one) application that ran on this cluster, by worker.
   *
   * @return every app-ID/EXEC_ID/stderr under the workers' work directories
   */
  List<ExecutorLog> executorLogs() throws IOException {
    List<ExecutorLog> logs = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      Path work = dir.resolve("work-" + i);
      try (Stream<Path> apps = Files.list(work)) {
        for (Path app : apps.filter(p -> p.getFileName().toString().startsWith("app-"))
            .sorted().toList()) {
          try (Stream<Path> execs = Files.list(app)) {
            for (Path exec : execs.filter(Files::isDirectory).sorted().toList()) {
              Path stderr = exec.resolve("stderr");
              if (Files.exists(stderr)) {
                logs.add(new ExecutorLog(i, app.getFileName().toString(),
                    exec.getFileName().toString(), stderr));
              }
            }
          }
        }
      }
    }
    return logs;
  }

  /** Options for every cluster JVM (and, via defaultJavaOptions, the driver and executors). */
  static List<String> testJvmOptions() {
    return List.of("-Dlog4j2.configurationFile=" + ClusterPaths.resource("log4j2-cluster.properties"),
        // Short-lived JVMs on a small machine: the C1 compiler starts them much faster.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  /** Starts a process this cluster owns: {@link #close} ends it. */
  private synchronized Process launch(ProcessBuilder pb) throws IOException {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    Process p = pb.start();
    processes.add(p);
    recordPids();
    return p;
  }

  /** A master or worker JVM, logging to logs/LOG.log. */
  private ProcessBuilder daemon(String log, List<String> mainAndArgs, Map<String, String> sparkConf,
      Map<String, String> extraEnv) {
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")));
    cmd.add("-Xmx256m");
    cmd.addAll(testJvmOptions());
    sparkConf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(sparkClasspath());
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    environment(pb.environment());
    pb.environment().putAll(extraEnv);
    Path file = dir.resolve("logs/" + log + ".log");
    return pb.redirectErrorStream(true).redirectOutput(file.toFile());
  }

  private void environment(Map<String, String> env) {
    env.put("SPARK_HOME", sparkHome.toString());
    // Set by bin/load-spark-env.sh in a distribution; the worker's executor command needs it.
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    env.remove("SPARK_CONF_DIR");
    env.remove("SPARK_SUBMIT_OPTS");
    env.put("ORT_DISABLE_TELEMETRY", "1");
    env.put("OPT_OUT_TRACKING", "true");
    // DJL unpacks its native tokenizer library here once, for every cluster and run.
    env.put("DJL_CACHE_DIR", ClusterPaths.buildDir().resolve("djl-cache").toString());
  }

  /** SPARK_HOME/jars: the Spark jars of the local classpath, without the application's own. */
  private void buildSparkHome() throws IOException {
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    Files.createDirectories(sparkHome.resolve("conf"));
    int linked = 0;
    for (Path jar : ClusterPaths.localClasspath()) {
      if (ClusterPaths.isApplicationJar(jar)) {
        continue;
      }
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
        linked++;
      }
    }
    try (Stream<Path> linkedJars = Files.list(jars)) {
      if (linkedJars.noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
        throw new IllegalStateException("no spark-core jar among the " + linked
            + " jars of " + ClusterPaths.classpathFile());
      }
    }
  }

  private String sparkClasspath() {
    return sparkHome.resolve("jars") + "/*";
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

  /** Stops a process and its descendants: TERM first, KILL for whatever is left. */
  private static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    p.destroy(); // a worker's TERM handler also ends its executors
    try {
      p.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.addAll(p.descendants().toList());
    for (ProcessHandle h : tree) {
      h.destroy();
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    if (p.isAlive()) {
      p.destroyForcibly();
    }
  }

  /** Ends every process this cluster started, workers and their executors first. */
  @Override
  public synchronized void close() {
    closed = true;
    for (int i = processes.size() - 1; i >= 0; i--) { // the driver and workers before the master
      stop(processes.get(i));
    }
    processes.clear();
    try {
      Files.deleteIfExists(dir.resolve("pids"));
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
      Path work = dir.resolve("work-" + i);
      if (!Files.isDirectory(work)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(work, 3)) {
        for (Path jar : files.filter(p -> p.getFileName().toString().endsWith(".jar"))
            .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .toList()) {
          Files.delete(jar);
        }
      }
    }
  }

  private synchronized void recordPids() {
    try {
      StringBuilder b = new StringBuilder();
      for (Process p : processes) {
        b.append(p.pid()).append('\n');
      }
      Files.writeString(dir.resolve("pids"), b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends processes a killed earlier run of this cluster left (their command names our dir). */
  private void endLeftovers() throws IOException {
    Path pids = dir.resolve("pids");
    if (!Files.exists(pids)) {
      return;
    }
    for (String line : Files.readAllLines(pids)) {
      if (line.isBlank()) {
        continue;
      }
      ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(h -> {
        String cmd = h.info().commandLine().orElse("");
        if (cmd.contains(dir.toString())) {
          h.descendants().forEach(ProcessHandle::destroyForcibly);
          h.destroyForcibly();
        }
      });
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
