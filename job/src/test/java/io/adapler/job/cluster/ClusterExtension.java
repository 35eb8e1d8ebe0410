package io.adapler.job.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's standalone cluster, registered on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension CLUSTER = ClusterExtension.of("standalone", workers);
 * }</pre>
 *
 * <p>The cluster starts before the class's {@code @BeforeAll} methods, which can do other work
 * while its workers boot ({@link #submitJob} waits for them). After the class's
 * {@code @AfterAll} methods, the local-mode session the class opened (to read outputs, or to
 * run the job in this JVM) stops first, then the cluster, even when stopping the session fails.
 */
final class ClusterExtension implements BeforeAllCallback, AfterAllCallback {
  /** How long workers may take to register: JVM starts on a busy machine are slow. */
  static final Duration WORKERS_START = Duration.ofSeconds(120);

  private final String name;
  private final Callable<List<WorkerSpec>> workers;
  private StandaloneCluster cluster;
  private SparkSession local;

  private ClusterExtension(String name, Callable<List<WorkerSpec>> workers) {
    this.name = name;
    this.workers = workers;
  }

  /**
   * A cluster of the given workers.
   *
   * @param name its directory under target/it-cluster
   */
  static ClusterExtension of(String name, List<WorkerSpec> workers) {
    return new ClusterExtension(name, () -> workers);
  }

  /** A cluster whose workers need set-up first (fake GPUs), done when the class starts. */
  static ClusterExtension of(String name, Callable<List<WorkerSpec>> workers) {
    return new ClusterExtension(name, workers);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cluster = StandaloneCluster.start(name, workers.call());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (local != null) {
        local.stop();
      }
    } finally {
      local = null;
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** The started cluster. */
  StandaloneCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("cluster " + name + " is not started: register the"
          + " extension on a static field with @RegisterExtension");
    }
    return cluster;
  }

  /** The cluster's directory; outputs and inputs of a test go under it. */
  Path dir() {
    return cluster().dir();
  }

  /**
   * The class's local-mode session in this JVM, opened on first use and stopped after the
   * class; the job run in process picks it up.
   *
   * @param threads local[threads]
   */
  synchronized SparkSession localSpark(int threads) {
    if (local == null) {
      local = SparkSession.builder().master("local[" + threads + "]")
          .appName("adapler-it-" + name + "-local").config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1").getOrCreate();
    }
    return local;
  }

  /**
   * Waits for the workers, then submits the job's application jar and waits for it.
   *
   * @param label names the driver's logs, logs/LABEL.out and logs/LABEL.err
   * @param conf spark-submit's settings
   * @param jobArgs the job's options
   * @param timeout the longest the driver may run
   */
  Submission submitJob(String label, SubmitConf conf, List<String> jobArgs, Duration timeout)
      throws Exception {
    cluster().awaitWorkers(WORKERS_START);
    return cluster().submit(label, conf.args(), ClusterPaths.jobJar(), jobArgs, timeout);
  }
}
