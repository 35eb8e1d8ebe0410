package io.adapler.udf.calibration;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How an operating point is picked from a calibration curve: the fastest one whose accuracy is
 * at most a given drop below eta scale 0's, or the most accurate one that reaches a FLOPs
 * speedup.
 */
public sealed interface Criterion {

  /**
   * Returns the point this criterion picks.
   *
   * @param points the curve, one point per eta scale, including eta scale 0
   * @return the point, or empty when no point of the grid meets the criterion
   */
  Optional<CurvePoint> pick(List<CurvePoint> points);

  /** Returns the criterion in words, for reports and the bundle's provenance. */
  String describe();

  /**
   * The fastest eta scale whose accuracy is at most {@code drop} below eta scale 0's (ties: the
   * smaller eta scale).
   *
   * @param drop the largest accuracy drop accepted, as a fraction (0.005 = half a point)
   */
  record MaxAccuracyDrop(double drop) implements Criterion {
    /** Validates the drop. */
    public MaxAccuracyDrop {
      if (!(drop >= 0 && drop <= 1)) {
        throw new IllegalArgumentException("the accuracy drop must be in [0, 1], found " + drop);
      }
    }

    @Override
    public Optional<CurvePoint> pick(List<CurvePoint> points) {
      CurvePoint base = points.stream().filter(p -> p.etaScale() == 0).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("the curve has no eta scale 0"));
      double floor = base.accuracy() - drop - 1e-12;
      return points.stream().filter(p -> p.accuracy() >= floor)
          .max(Comparator.comparingDouble(CurvePoint::flopsSpeedup)
              .thenComparing(Comparator.comparingDouble(CurvePoint::etaScale).reversed()));
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "the largest FLOPs speedup with accuracy at most %.4f "
          + "below eta_scale 0", drop);
    }
  }

  /**
   * The most accurate eta scale whose FLOPs speedup is at least {@code speedup} (ties: the
   * smaller eta scale).
   *
   * @param speedup the FLOPs speedup to reach, at least 1
   */
  record TargetSpeedup(double speedup) implements Criterion {
    /** Validates the target. */
    public TargetSpeedup {
      if (!(speedup >= 1) || Double.isInfinite(speedup)) {
        throw new IllegalArgumentException("the target speedup must be a number >= 1, found "
            + speedup);
      }
    }

    @Override
    public Optional<CurvePoint> pick(List<CurvePoint> points) {
      return points.stream().filter(p -> p.flopsSpeedup() >= speedup)
          .max(Comparator.comparingDouble(CurvePoint::accuracy)
              .thenComparing(Comparator.comparingDouble(CurvePoint::etaScale).reversed()));
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "the highest accuracy with a FLOPs speedup of at least "
          + "%.2fx", speedup);
    }
  }
}
