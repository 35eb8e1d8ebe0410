package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The soak's options: defaults, and a sampling plan that leaves room for its medians. */
class SoakSettingsTest {

  @Test
  void defaults() {
    SoakSettings s = SoakSettings.parse(new String[0]);
    assertEquals(50_000, s.rows());
    assertEquals(200, s.partitions());
    assertEquals(2_000, s.sampleEvery());
    assertEquals(0.2, s.warmupFraction(), 1e-12);
    assertEquals(0.05, s.maxGrowth(), 1e-12);
    assertNull(SoakSettings.parse(new String[] {"-h"}));
  }

  @Test
  void theMediansMustFitAfterWarmUp() {
    assertTrue(error("--samples", "5", "--warmup", "50", "--window", "2")
        .contains("expected at least 2 x --window"));
    assertEquals("--warmup: expected an integer from 0 to 99, found '100'",
        error("--warmup", "100"));
    assertTrue(error("--rws", "10").startsWith("unknown options [--rws]"));
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> SoakSettings.parse(args))
        .getMessage();
  }
}
