package io.adapler.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
  @Test
  void partsAddUpKeyByKeyWithCountsExactAndNullsAsZero() {
    Map<String, Object> a = new LinkedHashMap<>(Map.of("rows", 3L, "OK", 2L, "flops_full", 1.5));
    Map<String, Object> b = new HashMap<>(Map.of("rows", 4, "OK", 4L));
    b.put("flops_full", null); // Spark's sum over no rows
    b.put("layer_0", 7L);
    Map<String, Object> sum = RunMetrics.plus(RunMetrics.plus(Map.of(), a), b);
    assertEquals(7L, sum.get("rows"));
    assertEquals(6L, sum.get("OK"));
    assertEquals(1.5, sum.get("flops_full"));
    assertEquals(7L, sum.get("layer_0"));
    long big = (1L << 53) + 1; // beyond a double's exact integers
    assertEquals(big + 1, RunMetrics.plus(Map.of("tokens", big), Map.of("tokens", 1L))
        .get("tokens"));
  }
}
