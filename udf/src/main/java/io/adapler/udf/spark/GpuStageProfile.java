package io.adapler.udf.spark;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * Stage-level GPU scheduling: the task resource profile that gives the scoring tasks, and only
 * them, a share of a GPU, so that the read (before the repartition's shuffle) runs without one.
 *
 * <p>Spark (3.4 and later) runs task-only profiles without dynamic allocation on standalone,
 * YARN and Kubernetes, on the executors of the default profile, which must already hold GPUs
 * ({@code spark.executor.resource.gpu.amount}). Local mode has no stage-level scheduling. Where
 * the profile does not apply, the job-wide {@code spark.task.resource.gpu.amount} does, as
 * before: {@link #decide} says which and why.
 */
public final class GpuStageProfile {
  /** The job-wide task GPU amount; when set, it wins over a stage profile. */
  static final String TASK_GPU_AMOUNT = "spark.task.resource.gpu.amount";
  /** Executors must hold GPUs for a task-only profile to be scheduled anywhere. */
  static final String EXECUTOR_GPU_AMOUNT = "spark.executor.resource.gpu.amount";

  private static final Set<String> GPU_DEVICES = Set.of("cuda", "gpu");

  private GpuStageProfile() {}

  /**
   * Whether the scoring stage gets its own profile.
   *
   * @param profile the profile to put on the scoring RDD, or null for none
   * @param reason one line saying what the scoring tasks ask for, for the job's log
   */
  public record Decision(ResourceProfile profile, String reason) {
    /** Returns whether a stage profile applies. */
    public boolean applies() {
      return profile != null;
    }
  }

  /**
   * Decides from the options and the application's configuration.
   *
   * @param options the scoring options (device and {@link ScoreOptions#taskGpus()})
   * @param conf the application's Spark configuration
   * @return the profile to apply, or none with the reason
   */
  public static Decision decide(ScoreOptions options, SparkConf conf) {
    String device = String.valueOf(options.device()).strip().toLowerCase(Locale.ROOT);
    if (!GPU_DEVICES.contains(device)) {
      return new Decision(null, "device " + options.device() + ": no GPU resource asked for");
    }
    String jobWide = conf.get(TASK_GPU_AMOUNT, null);
    if (options.taskGpus() == 0) {
      return new Decision(null, "stage-level GPU scheduling off: every task gets "
          + TASK_GPU_AMOUNT + " = " + jobWide);
    }
    if (jobWide != null) {
      return new Decision(null, "every task of the job gets " + TASK_GPU_AMOUNT + " = "
          + jobWide + " (job-wide, set in the Spark conf; unset it for a GPU on the scoring"
          + " stage only)");
    }
    String master = conf.get("spark.master", "");
    if (master.equals("local") || master.startsWith("local[")) {
      return new Decision(null, "local mode has no stage-level scheduling: no task gets a GPU"
          + " resource (set " + TASK_GPU_AMOUNT + " or use cuda:N)");
    }
    if (conf.get(EXECUTOR_GPU_AMOUNT, null) == null) {
      return new Decision(null, EXECUTOR_GPU_AMOUNT + " is not set, so executors hold no GPU"
          + " to give the scoring stage; set it and a GPU discovery script");
    }
    ResourceProfile profile = new ResourceProfileBuilder()
        .require(new TaskResourceRequests().resource(SparkDeviceResolver.GPU_RESOURCE,
            options.taskGpus()))
        .build();
    return new Decision(profile, "scoring tasks get " + options.taskGpus() + " GPU each"
        + " (stage-level resource profile); other stages get none");
  }
}
