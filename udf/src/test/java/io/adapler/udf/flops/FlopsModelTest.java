package io.adapler.udf.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FLOPs model against the authors' fitted BERT-base formulas and hand-computed values. */
class FlopsModelTest {
  private static final FlopsModel BERT_BASE_SST2 = new FlopsModel(12, 768, 3072, 12, 32, 2);

  /** The authors' FLOPs_BERT(n), written from the spec. */
  private static double authorsBert(int n, int c) {
    return 37872.0 * n * n + 170216500.0 * n + 1181953 + 1537.0 * c;
  }

  /** The authors' FLOPs_AdapLeR(len, C), written from the spec. */
  private static double authorsAdapler(int[] len, int c) {
    double sum = 0;
    for (int l : len) {
      sum += 3156.0 * l * l + 14233554.0 * l;
    }
    return 1183537 + 1537.0 * (c - 1) + 6152.0 * len[0] + sum;
  }

  private static void assertWithin3Percent(double expected, double actual, String what) {
    double rel = Math.abs(actual - expected) / expected;
    if (rel > 0.03) {
      throw new AssertionError(what + ": expected " + expected + " within 3%, found " + actual
          + " (" + rel * 100 + "%)");
    }
  }

  @Test
  void fullModelMatchesTheAuthorsFormulaForBertBase() {
    for (int c : new int[] {2, 3, 14}) {
      FlopsModel m = new FlopsModel(12, 768, 3072, 12, 32, c);
      for (int n : new int[] {1, 2, 8, 23, 64, 128, 256, 512}) {
        assertWithin3Percent(authorsBert(n, c), m.fullFlops(n), "BERT n=" + n + " C=" + c);
      }
    }
  }

  @Test
  void adaptiveModelMatchesTheAuthorsFormulaForBertBase() {
    List<int[]> profiles = List.of(
        new int[] {64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}, // eta scale 0: nothing dropped
        new int[] {60, 52, 40, 31, 25, 20, 16, 13, 11, 9, 8, 7}, // gradual
        new int[] {128, 40, 12, 6, 4, 3, 2, 2, 2, 2, 2, 2}, // steep early drop
        new int[] {512, 500, 480, 300, 200, 120, 60, 30, 10, 5, 2, 1},
        new int[] {3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    for (int[] len : profiles) {
      assertWithin3Percent(authorsAdapler(len, 2), BERT_BASE_SST2.adaptiveFlops(len),
          "AdapLeR " + Arrays.toString(len));
      int n = len[0] + 5;
      assertWithin3Percent(authorsBert(n, 2) / authorsAdapler(len, 2),
          BERT_BASE_SST2.speedup(n, len), "speedup n=" + n + " " + Arrays.toString(len));
    }
  }

  @Test
  void handComputedTinyGeometry() {
    // L=1 H=2 I=4 A=1 W=1 C=2: quadratic 4*2+7 = 15, linear 8*4+4*2*4+9*2+7*4 = 110,
    // embedding 8*2+8 = 24, CP 2*2*1+9*1+1 = 14, head 2*4+2*2+(2*2+1)*2 = 22.
    FlopsModel m = new FlopsModel(1, 2, 4, 1, 1, 2);
    assertEquals(3 * 24 + (15 * 9 + 110 * 3) + 22, m.fullFlops(3), 0.0); // 559
    assertEquals(2 * 24 + 22 + (15 * 4 + 110 * 2) + 14 * 2, m.adaptiveFlops(new int[] {2}), 0.0);
    assertEquals(559.0 / 378.0, m.speedup(3, new int[] {2}), 1e-12);
  }

  @Test
  void corpusSpeedupIsARatioOfSums() {
    FlopsModel m = new FlopsModel(1, 2, 4, 1, 1, 2);
    SpeedupAccumulator a = new SpeedupAccumulator();
    a.add(m.fullFlops(3), m.adaptiveFlops(new int[] {2})); // 559 / 378
    SpeedupAccumulator b = new SpeedupAccumulator();
    b.add(m.fullFlops(1), m.adaptiveFlops(new int[] {1})); // 24+15+110+22 = 171 / 24+22+15+110+14 = 185
    a.merge(b);
    assertEquals(2, a.rows());
    assertEquals((559.0 + 171.0) / (378.0 + 185.0), a.speedup(), 1e-12);
    assertEquals(1.0, new SpeedupAccumulator().speedup(), 0.0);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> BERT_BASE_SST2.fullFlops(0));
    assertThrows(IllegalArgumentException.class,
        () -> BERT_BASE_SST2.adaptiveFlops(new int[] {3, 2}));
    assertThrows(IllegalArgumentException.class, () -> new FlopsModel(0, 1, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SpeedupAccumulator().add(0, 1));
  }
}
