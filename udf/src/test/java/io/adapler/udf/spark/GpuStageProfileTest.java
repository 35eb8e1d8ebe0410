package io.adapler.udf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** When the scoring stage gets a GPU resource profile, and why not otherwise. */
class GpuStageProfileTest {
  private static ScoreOptions options(String device, double taskGpus) {
    return ScoreOptions.builder("b").optDevice(device).optTaskGpus(taskGpus).build();
  }

  private static SparkConf cluster() {
    return new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077")
        .set(GpuStageProfile.EXECUTOR_GPU_AMOUNT, "1");
  }

  @Test
  void aGpuJobOnAClusterWithGpuExecutorsGetsAProfileAskingForItsAmount() {
    GpuStageProfile.Decision d = GpuStageProfile.decide(options("cuda", 0.5), cluster());
    assertTrue(d.applies(), d.reason());
    assertEquals(0.5, d.profile().taskResources().get("gpu").get().amount(), 1e-12);
  }

  @Test
  void noProfileOnCpuInLocalModeWithAJobWideAmountOrWithoutGpuExecutors() {
    assertFalse(GpuStageProfile.decide(options("cpu", 1), cluster()).applies());
    assertFalse(GpuStageProfile.decide(options("cuda", 0), cluster()).applies());
    GpuStageProfile.Decision jobWide = GpuStageProfile.decide(options("cuda", 1),
        cluster().set(GpuStageProfile.TASK_GPU_AMOUNT, "0.25"));
    assertFalse(jobWide.applies());
    assertTrue(jobWide.reason().contains("job-wide"), jobWide.reason());
    assertFalse(GpuStageProfile.decide(options("cuda", 1),
        cluster().set("spark.master", "local[2]")).applies());
    GpuStageProfile.Decision noExecutorGpus = GpuStageProfile.decide(options("gpu", 1),
        new SparkConf(false).set("spark.master", "yarn"));
    assertFalse(noExecutorGpus.applies());
    assertTrue(noExecutorGpus.reason().contains(GpuStageProfile.EXECUTOR_GPU_AMOUNT));
  }
}
