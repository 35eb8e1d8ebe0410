package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTest {
  @TempDir static Path cache;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
  }

  @Test
  void parsesCpuAndCudaDevices() {
    assertEquals(Device.cpu(), Device.parse("cpu"));
    assertEquals(Device.cpu(), Device.parse(" CPU "));
    assertEquals(Device.cuda(0), Device.parse("cuda"));
    assertEquals(Device.cuda(3), Device.parse("cuda:3"));
    assertEquals(Device.cuda(1), Device.parse("gpu:1"));
    assertEquals("cuda:2", Device.cuda(2).toString());
    assertEquals(Device.cuda(2), Device.parse(Device.cuda(2).toString()));
    for (String bad : new String[] {"", "tpu", "cuda:", "cuda:-1", "cuda:x", null}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
      assertTrue(e.getMessage().contains("expected cpu, cuda or cuda:N"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.CPU, 1));
  }

  @Test
  void cudaWithoutFallbackFailsNamingTheGpuProfileUnlessCudaWorks() throws Exception {
    RuntimeOptions cuda = RuntimeOptions.builder().optDevice(Device.cuda(0)).build();
    if (!SessionOpener.cudaCompiledIn()) {
      BundleLoadException e =
          assertThrows(BundleLoadException.class, () -> AdaplerRuntime.open(bundle, cuda));
      assertMessage(e);
      assertTrue(e.getMessage().contains("no CUDA execution provider"), e.getMessage());
      return;
    }
    // A -Pgpu build: either this machine has a usable GPU, or opening fails the same way.
    try (AdaplerRuntime rt = AdaplerRuntime.open(bundle, cuda)) {
      assertEquals(Device.cuda(0), rt.device());
      assertMatchesGoldens(rt);
    } catch (BundleLoadException e) {
      assertMessage(e);
    }
  }

  @Test
  void cudaWithFallbackRunsOnTheCpuWhenCudaIsUnavailable() throws Exception {
    RuntimeOptions cuda = RuntimeOptions.builder()
        .optDevice(Device.cuda(0)).optAllowCpuFallback(true).build();
    try (AdaplerRuntime rt = AdaplerRuntime.open(bundle, cuda)) {
      if (!SessionOpener.cudaCompiledIn()) {
        assertEquals(Device.cpu(), rt.device());
      }
      assertEquals(Device.cuda(0), rt.options().device());
      assertMatchesGoldens(rt);
    }
  }

  private static void assertMessage(BundleLoadException e) {
    for (String part : new String[] {"CUDA device cuda:0 requested", "`gpu` profile",
        "mvn -Pgpu", "onnxruntime_gpu", "optAllowCpuFallback(true)", bundle.uri()}) {
      assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
    }
  }

  private static void assertMatchesGoldens(AdaplerRuntime rt) throws Exception {
    List<GoldenRow> golden = TinyBundle.goldens().subList(0, 50);
    List<RowResult> got = rt.score(golden.stream().map(GoldenRow::textRow).toList(), 1f);
    for (int i = 0; i < golden.size(); i++) {
      assertArrayEquals(golden.get(i).run(1f).layerLengths(), got.get(i).layerLengths());
      assertArrayEquals(golden.get(i).run(1f).logits(), got.get(i).logits(), 1e-4f);
    }
  }
}
