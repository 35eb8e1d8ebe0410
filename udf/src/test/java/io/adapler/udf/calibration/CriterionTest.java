package io.adapler.udf.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two criteria on a hand-made curve, and the curve's figures from a hand-filled tally. */
class CriterionTest {
  private static CurvePoint p(double eta, double acc, double speedup) {
    return new CurvePoint(eta, acc, acc, speedup, new double[0]);
  }

  private static final List<CurvePoint> CURVE = List.of(p(0, 0.990, 0.99), p(0.5, 0.990, 1.2),
      p(1, 0.987, 2.0), p(1.5, 0.986, 2.0), p(2, 0.980, 3.1), p(3, 0.900, 6.0));

  @Test
  void theFastestPointWithinTheDropWinsAndTiesGoToTheSmallerEtaScale() {
    assertEquals(1.0, new Criterion.MaxAccuracyDrop(0.005).pick(CURVE).orElseThrow().etaScale());
    assertEquals(0.5, new Criterion.MaxAccuracyDrop(0).pick(CURVE).orElseThrow().etaScale());
    assertEquals(2.0, new Criterion.MaxAccuracyDrop(0.01).pick(CURVE).orElseThrow().etaScale());
    assertEquals(3.0, new Criterion.MaxAccuracyDrop(1).pick(CURVE).orElseThrow().etaScale());
  }

  @Test
  void theMostAccuratePointReachingTheTargetWins() {
    assertEquals(1.0, new Criterion.TargetSpeedup(2).pick(CURVE).orElseThrow().etaScale());
    assertEquals(2.0, new Criterion.TargetSpeedup(3).pick(CURVE).orElseThrow().etaScale());
    assertTrue(new Criterion.TargetSpeedup(7).pick(CURVE).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new Criterion.TargetSpeedup(0.5));
    assertThrows(IllegalArgumentException.class, () -> new Criterion.MaxAccuracyDrop(-0.1));
  }

  @Test
  void curveFiguresFromATallyComputedByHand() {
    // two classes; at scale 0: 3 right of 4 (tp 1, fp 1, fn 0); F1 = 2/(2+1) = 0.6667
    long[][] confusion = {{2, 1, 0, 1}};
    assertEquals(0.75, CalibrationCurve.accuracy(confusion[0], 2), 1e-12);
    assertEquals(2.0 / 3.0, CalibrationCurve.f1(confusion[0], 2), 1e-12);
    // three classes, macro F1: class 0 (tp 1, fp 0, fn 1) 2/3; class 1 (tp 1, fp 1, fn 0) 2/3;
    // class 2 (tp 0) 0 -> 4/9
    long[] three = {1, 1, 0, 0, 1, 0, 0, 0, 0};
    assertEquals(4.0 / 9.0, CalibrationCurve.f1(three, 3), 1e-12);
  }
}
