package io.adapler.job.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * spark-submit's settings for a test run: a shipped properties file, then {@code --conf}
 * settings on top that size it to the build machine. Immutable; {@link #with} returns a copy.
 */
final class SubmitConf {
  private final String propertiesFile;
  private final Map<String, String> conf;

  private SubmitConf(String propertiesFile, Map<String, String> conf) {
    this.propertiesFile = propertiesFile;
    this.conf = conf;
  }

  /**
   * The shipped conf/spark-cluster.conf, sized down: two executors of two cores (standalone
   * spreads them over the workers, one each), and no task before both registered, so both
   * run scoring tasks.
   */
  static SubmitConf cluster() {
    return sized("conf/spark-cluster.conf");
  }

  /** The shipped conf/spark-gpu.conf, sized alike, one GPU per executor, no task GPU amount. */
  static SubmitConf gpu() {
    return sized("conf/spark-gpu.conf").with("spark.executor.resource.gpu.amount", "1");
  }

  private static SubmitConf sized(String propertiesFile) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.executor.cores", "2");
    c.put("spark.cores.max", "4");
    c.put("spark.executor.memory", "512m");
    c.put("spark.driver.memory", "768m");
    c.put("spark.sql.shuffle.partitions", "4");
    c.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    c.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
    c.put("spark.executor.defaultJavaOptions", String.join(" ", SparkHome.jvmOptions()));
    return new SubmitConf(propertiesFile, c);
  }

  /** A copy with one setting added or replaced. */
  SubmitConf with(String key, String value) {
    return withAll(Map.of(key, value));
  }

  /** A copy with the settings added or replaced. */
  SubmitConf withAll(Map<String, String> settings) {
    Map<String, String> c = new LinkedHashMap<>(conf);
    c.putAll(settings);
    return new SubmitConf(propertiesFile, c);
  }

  /** spark-submit's arguments: the properties file, then each setting as --conf. */
  List<String> args() {
    List<String> args = new ArrayList<>(List.of("--properties-file",
        ClusterPaths.repoRoot().resolve(propertiesFile).toString()));
    conf.forEach((k, v) -> {
      args.add("--conf");
      args.add(k + "=" + v);
    });
    return args;
  }
}
