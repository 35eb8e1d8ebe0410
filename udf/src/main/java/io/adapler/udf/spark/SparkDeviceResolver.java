package io.adapler.udf.spark;

import io.adapler.udf.runtime.Device;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the user's device setting into the {@link Device} of the running Spark task.
 *
 * <ul>
 *   <li>{@code cpu}: the CPU.
 *   <li>{@code cuda:N}: CUDA device N, whatever Spark assigned (for single-GPU hosts and tests).
 *   <li>{@code cuda} (or {@code gpu}): the GPU Spark assigned to the task, the first address of
 *       its {@code gpu} resource ({@code TaskContext.get().resources()}); tasks that share a GPU
 *       through a fractional {@code spark.task.resource.gpu.amount} get the same device and so
 *       the same runtime. A task without a GPU fails, or runs on the CPU when fallback is allowed.
 *   <li>{@code auto}: the task's GPU when it has one, else the CPU.
 * </ul>
 */
public final class SparkDeviceResolver {
  /** The Spark resource name of GPUs. */
  public static final String GPU_RESOURCE = "gpu";

  private static final Logger LOG = LoggerFactory.getLogger(SparkDeviceResolver.class);

  private SparkDeviceResolver() {}

  /**
   * Resolves the device for the task running on this thread ({@code TaskContext.get()}); outside
   * a task (the driver, a notebook) there is no assigned GPU.
   *
   * @param requested {@code cpu}, {@code auto}, {@code cuda}, {@code gpu} or {@code cuda:N}
   * @param allowCpuFallback whether a missing GPU means the CPU instead of an error
   * @return the device to open the runtime on
   */
  public static Device resolveForCurrentTask(String requested, boolean allowCpuFallback) {
    TaskContext task = TaskContext.get();
    return resolve(requested, task == null ? null : task.resourcesJMap(), allowCpuFallback);
  }

  /**
   * Resolves the device from a task's resources.
   *
   * @param requested {@code cpu}, {@code auto}, {@code cuda}, {@code gpu} or {@code cuda:N}
   * @param taskResources the task's resources by name, or null outside a task
   * @param allowCpuFallback whether a missing GPU means the CPU instead of an error
   * @return the device to open the runtime on
   */
  public static Device resolve(String requested, Map<String, ResourceInformation> taskResources,
      boolean allowCpuFallback) {
    String r = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
    boolean auto = r.equals("auto");
    if (!auto && !r.equals("cuda") && !r.equals("gpu")) {
      return Device.parse(requested); // cpu or an explicit cuda:N
    }
    ResourceInformation gpu = taskResources == null ? null : taskResources.get(GPU_RESOURCE);
    if (gpu == null || gpu.addresses().length == 0) {
      if (auto) {
        return Device.cpu();
      }
      String where = taskResources == null ? "this code runs outside a Spark task"
          : "the task has no '" + GPU_RESOURCE + "' resource (it has " + taskResources.keySet()
              + ")";
      if (allowCpuFallback) {
        LOG.warn("device '{}' asks for the task's GPU but {}; CPU fallback is allowed, using the"
            + " CPU", requested, where);
        return Device.cpu();
      }
      throw new IllegalStateException("device '" + requested + "' asks for the GPU Spark"
          + " assigned to the task, but " + where + "; set spark.executor.resource.gpu.amount,"
          + " spark.task.resource.gpu.amount and a GPU discovery script, or choose cpu, auto or"
          + " an explicit cuda:N, or allow CPU fallback");
    }
    String address = gpu.addresses()[0].trim();
    if (!address.matches("[0-9]{1,4}")) {
      throw new IllegalStateException("Spark assigned GPU address '" + address + "' to the task;"
          + " expected a CUDA device ordinal such as 0 (check the GPU discovery script's output)");
    }
    return Device.cuda(Integer.parseInt(address));
  }
}
