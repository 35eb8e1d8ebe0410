package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Medians, spreads and ratios paired by repetition, on values worked out by hand. */
class SamplesTest {

  @Test
  void samplesPairByRepetition() {
    Samples a = Samples.of(4, 1, 3);
    Samples b = Samples.of(2, 1, 1);
    assertEquals(3, a.median());
    assertEquals(2.5, Samples.of(1, 4, 2, 3).median());
    assertEquals(1, a.min());
    assertEquals(4, a.max());
    assertEquals(8, a.sum());
    assertEquals(1.0, a.spread());
    assertArrayEquals(new double[] {2, 1, 3}, a.over(b).values());
    assertArrayEquals(new double[] {25, 100, 100 / 3.0}, a.inverted(100).values(), 1e-12);
    assertEquals("3.0 (1.0-4.0)", a.format("%.1f"));
  }

  @Test
  void noSamplesIsAnError() {
    assertThrows(IllegalArgumentException.class, Samples::of);
  }
}
