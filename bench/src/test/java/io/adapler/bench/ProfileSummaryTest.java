package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime profiles summed by operator type: a trace written by hand (the sums worked out
 * below), and a real profile of the plain graph.
 */
class ProfileSummaryTest {
  private static final Path ROOT = Path.of(System.getProperty("adapler.repo.root", ".."));

  /** Three runs; the first is warm-up, with a node inside it that must not count. */
  private static final String TRACE = """
      [
       {"cat":"Session","name":"model_loading_uri","ts":0,"dur":5000,"args":{}},
       {"cat":"Session","name":"model_run","ts":100,"dur":1000,"args":{}},
       {"cat":"Node","name":"mm_kernel_time","ts":200,"dur":700,"args":{"op_name":"MatMul"}},
       {"cat":"Session","name":"model_run","ts":2000,"dur":1000,"args":{}},
       {"cat":"Node","name":"mm_fence_before","ts":2050,"dur":3,"args":{"op_name":"MatMul"}},
       {"cat":"Node","name":"mm_kernel_time","ts":2100,"dur":600,"args":{"op_name":"MatMul"}},
       {"cat":"Node","name":"sm_kernel_time","ts":2700,"dur":100,"args":{"op_name":"Softmax"}},
       {"cat":"Session","name":"model_run","ts":4000,"dur":600,"args":{}},
       {"cat":"Node","name":"mm_kernel_time","ts":4100,"dur":400,"args":{"op_name":"MatMul"}}
      ]
      """;

  @Test
  void sumsKernelTimeByOperatorAfterTheWarmUp(@TempDir Path tmp) throws Exception {
    Path trace = Files.writeString(tmp.resolve("p.json"), TRACE);
    ProfileSummary p = ProfileSummary.read(trace, 1);
    assertEquals(2, p.runs());
    assertEquals(1600, p.runMicros());                                  // 1000 + 600
    assertEquals(Map.of("MatMul", 1000L, "Softmax", 100L), p.kernelMicros()); // 600 + 400; 100
    assertEquals(0.8, p.perRowMs(p.runMicros()), 1e-12);                // 1.6 ms over 2 runs

    ProfileSummary all = ProfileSummary.read(trace, 0);
    assertEquals(1700L, all.kernelMicros().get("MatMul"));
    String table = ProfileSummary.table(p, all);
    // bundle: MatMul 0.5 ms per row, 62.5% of 1.6 ms; outside kernels (1600 - 1100) / 2 = 0.25 ms, 31.25%
    assertTrue(table.contains("| MatMul | 0.500 | 62.5% | 0.567 | 65.4% |"), table);
    assertTrue(table.contains("| outside kernels (per-call overhead) | 0.250 | 31.3% |"), table);
    // plain's 2600 us over 3 runs against 800 us per row
    assertTrue(table.contains(String.format("over the bundle's: %.3f", 2600.0 / 3 / 800)), table);
    assertThrows(IllegalArgumentException.class, () -> ProfileSummary.read(trace, 3));
  }

  @Test
  void profilesThePlainGraph(@TempDir Path tmp) throws Exception {
    Path dir = ROOT.resolve(PlainGraph.DEFAULT_DIR);
    assumeTrue(Files.isRegularFile(dir.resolve("model.onnx")),
        "no " + dir + "/model.onnx: run model/scripts/fetch_backbone.sh");
    String profile;
    try (PlainGraph plain = PlainGraph.profiled(dir, 128, tmp.resolve("plain"))) {
      for (int i = 0; i < 4; i++) {
        plain.run("Subject: meeting moved to 3pm, number " + i);
      }
      profile = plain.endProfiling();
    }
    ProfileSummary p = ProfileSummary.read(Path.of(profile), 1);
    assertEquals(3, p.runs());
    assertTrue(p.kernelMicros().containsKey("MatMul"), p.kernelMicros().toString());
    assertTrue(p.kernelTotal() > 0 && p.kernelTotal() <= p.runMicros(), p.toString());
  }
}
