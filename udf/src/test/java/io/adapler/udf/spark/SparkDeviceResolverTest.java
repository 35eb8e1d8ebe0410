package io.adapler.udf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.runtime.Device;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class SparkDeviceResolverTest {
  private static Map<String, ResourceInformation> gpus(String... addresses) {
    return Map.of("gpu", new ResourceInformation("gpu", addresses));
  }

  @Test
  void cudaTakesTheTasksFirstGpuAddress() {
    assertEquals(Device.cuda(2), SparkDeviceResolver.resolve("cuda", gpus("2", "3"), false));
    assertEquals(Device.cuda(0), SparkDeviceResolver.resolve("GPU", gpus("0"), false));
    assertEquals(Device.cuda(1), SparkDeviceResolver.resolve("auto", gpus("1"), false));
  }

  @Test
  void explicitSettingsIgnoreTheAssignment() {
    assertEquals(Device.cpu(), SparkDeviceResolver.resolve("cpu", gpus("1"), false));
    assertEquals(Device.cuda(5), SparkDeviceResolver.resolve("cuda:5", gpus("1"), false));
  }

  @Test
  void autoWithoutAGpuIsTheCpu() {
    assertEquals(Device.cpu(), SparkDeviceResolver.resolve("auto", null, false));
    assertEquals(Device.cpu(), SparkDeviceResolver.resolve("auto", Map.of(), false));
  }

  @Test
  void cudaWithoutAnAssignedGpuFailsUnlessFallbackIsAllowed() {
    for (Map<String, ResourceInformation> none : List.of(Map.<String, ResourceInformation>of(),
        gpus())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SparkDeviceResolver.resolve("cuda", none, false));
      assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount"), e.getMessage());
      assertEquals(Device.cpu(), SparkDeviceResolver.resolve("cuda", none, true));
    }
    IllegalStateException outside = assertThrows(IllegalStateException.class,
        () -> SparkDeviceResolver.resolveForCurrentTask("cuda", false));
    assertTrue(outside.getMessage().contains("outside a Spark task"), outside.getMessage());
    assertEquals(Device.cpu(), SparkDeviceResolver.resolveForCurrentTask("auto", false));
  }

  @Test
  void badSettingsAndAddressesAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> SparkDeviceResolver.resolve("tpu", gpus("0"), false));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SparkDeviceResolver.resolve("cuda", gpus("GPU-5f3a"), false));
    assertTrue(e.getMessage().contains("expected a CUDA device ordinal"), e.getMessage());
  }
}
