package io.adapler.job.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker of a {@link StandaloneCluster}: its loopback address, cores and memory, plus
 * worker-only system properties and environment. Workers on different addresses (127.0.0.2,
 * ...) are different hosts to Spark, which matters where it avoids a host, as speculation does
 * for a task's copy.
 *
 * @param host the address the worker and its executors bind to
 * @param cores the cores it offers
 * @param memory the memory it offers, as Spark writes sizes ({@code 1g})
 * @param sparkConf system properties of the worker JVM only
 * @param env environment of the worker JVM, inherited by its executors
 */
record WorkerSpec(String host, int cores, String memory, Map<String, String> sparkConf,
    Map<String, String> env) {

  /** A worker on 127.0.0.1 with nothing extra. */
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
