package io.adapler.udf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver inside real Spark tasks (local mode, no GPUs). */
class SparkTaskDeviceTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(new SparkConf()
        .setMaster("local[2]")
        .setAppName("SparkTaskDeviceTest")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void tasksWithoutGpusResolveAutoToCpuAndCudaToAClearError() {
    List<String> devices = sc.parallelize(List.of(1, 2, 3, 4), 2)
        .map(i -> SparkDeviceResolver.resolveForCurrentTask("auto", false).toString())
        .collect();
    assertEquals(List.of("cpu", "cpu", "cpu", "cpu"), devices);
    SparkException e = assertThrows(SparkException.class, () -> sc.parallelize(List.of(1), 1)
        .map(i -> SparkDeviceResolver.resolveForCurrentTask("cuda", false).toString())
        .collect());
    assertTrue(e.getMessage().contains("the task has no 'gpu' resource"), e.getMessage());
  }
}
