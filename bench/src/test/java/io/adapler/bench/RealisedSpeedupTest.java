package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Realised over FLOPs, against figures worked out by hand. */
class RealisedSpeedupTest {
  // eta1 first: the reference is the run with the lowest FLOPs speedup, wherever it stands.
  static final List<RealisedSpeedup.Run> RUNS = List.of(
      new RealisedSpeedup.Run("eta1", Samples.of(300, 352), 4.455),
      new RealisedSpeedup.Run("eta0", Samples.of(100, 110), 0.99),
      new RealisedSpeedup.Run("eta2", Samples.of(500, 660), 19.8));

  @Test
  void eachRunAgainstTheOneThatSavesTheFewestFlops() {
    assertEquals("eta0", RealisedSpeedup.reference(RUNS).name());
    List<RealisedSpeedup.Row> rows = RealisedSpeedup.rows(RUNS);
    RealisedSpeedup.Row eta1 = rows.get(0);
    assertEquals(4.5, eta1.flopsOverReference(), 1e-12);            // 4.455 / 0.99
    // Paired by round: 300/100 = 3.0 and 352/110 = 3.2, median 3.1.
    assertEquals(3.1, eta1.realised().median(), 1e-12);
    assertEquals(3.0, eta1.realised().min(), 1e-12);
    assertEquals(3.1 / 4.5, eta1.realisedOverFlops(), 1e-12);
    RealisedSpeedup.Row eta0 = rows.get(1);
    assertEquals(1.0, eta0.flopsOverReference(), 1e-12);
    assertEquals(1.0, eta0.realisedOverFlops(), 1e-12);
    RealisedSpeedup.Row eta2 = rows.get(2);
    assertEquals(20.0, eta2.flopsOverReference(), 1e-12);          // 19.8 / 0.99
    assertEquals(5.5, eta2.realised().median(), 1e-12);      // (5.0 + 6.0) / 2
    assertEquals(0.275, eta2.realisedOverFlops(), 1e-12);
  }

  @Test
  void theTableNamesTheReferenceAndEachRatio() {
    String md = RealisedSpeedup.markdown(RUNS);
    assertTrue(md.contains("over eta0's"), md);
    assertTrue(md.contains("| eta1 | 4.46x | 4.50x | 3.10 (3.00-3.20) | **0.69** |"), md);
    assertTrue(md.contains("| eta2 | 19.80x | 20.00x | 5.50 (5.00-6.00) | **0.28** |"), md);
    assertEquals(3, RealisedSpeedup.toJson(RUNS).size());
  }
}
