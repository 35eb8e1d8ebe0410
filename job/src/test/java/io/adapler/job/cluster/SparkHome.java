package io.adapler.job.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The minimal Spark installation a test cluster runs from, since the build machine has no
 * Spark distribution: {@code jars/} holds links to the Spark jars of {@code
 * job/target/local-classpath.txt} without the application's own (which the application jar
 * carries), and {@code conf/} is empty. That is all a worker needs to build an executor's
 * command ({@code SPARK_HOME/jars/*} is the executor classpath), given the environment of
 * {@link #environment}, which {@code bin/load-spark-env.sh} would set in a distribution.
 */
final class SparkHome {
  private final Path home;
  private final Path clusterDir;

  private SparkHome(Path home, Path clusterDir) {
    this.home = home;
    this.clusterDir = clusterDir;
  }

  /**
   * Builds {@code clusterDir/spark-home}.
   *
   * @throws IllegalStateException when the local classpath holds no spark-core jar
   */
  static SparkHome build(Path clusterDir) throws IOException {
    Path home = clusterDir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    int linked = 0;
    for (Path jar : ClusterPaths.localClasspath()) {
      Path link = jars.resolve(jar.getFileName());
      if (!ClusterPaths.isApplicationJar(jar) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
        linked++;
      }
    }
    try (Stream<Path> all = Files.list(jars)) {
      if (all.noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
        throw new IllegalStateException("no spark-core jar among the " + linked
            + " jars of " + ClusterPaths.classpathFile());
      }
    }
    return new SparkHome(home, clusterDir);
  }

  /** The classpath of the master, the workers and the launcher: {@code jars/*}. */
  String classpath() {
    return home.resolve("jars") + "/*";
  }

  /** Sets what every cluster JVM (and, inherited, every executor) needs in its environment. */
  void environment(Map<String, String> env) {
    env.put("SPARK_HOME", home.toString());
    // Set by bin/load-spark-env.sh in a distribution; the worker's executor command needs it.
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", clusterDir.resolve("local").toString());
    env.remove("SPARK_CONF_DIR");
    env.remove("SPARK_SUBMIT_OPTS");
    env.put("ORT_DISABLE_TELEMETRY", "1");
    env.put("OPT_OUT_TRACKING", "true");
    // DJL unpacks its native tokenizer library here once, for every cluster and run.
    env.put("DJL_CACHE_DIR", ClusterPaths.buildDir().resolve("djl-cache").toString());
  }

  /** Options for every cluster JVM (and, via defaultJavaOptions, the driver and executors). */
  static List<String> jvmOptions() {
    return List.of("-Dlog4j2.configurationFile="
            + ClusterPaths.resource("log4j2-cluster.properties"),
        // Short-lived JVMs on a small machine: the C1 compiler starts them much faster.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  /** This JVM's java executable, for the cluster's JVMs. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
