package io.adapler.job.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The speed/accuracy chart of a model: accuracy and F1 against FLOPs speedup, one point per eta
 * scale, on a log speedup axis (a speedup is a ratio: 1x to 2x is as far as 4x to 8x). The
 * chart shows the range where the model is still useful: points more than {@code viewDrop}
 * below the reference accuracy (the teacher's, else eta scale 0's) are left to the table, and a
 * note under the chart says which. Built with {@link #builder}; {@link Builder#svg()} draws it.
 */
public final class TradeoffChart {
  /** The default accuracy drop past which points leave the chart: 5 points. */
  public static final double VIEW_DROP = 0.05;

  private TradeoffChart() {}

  /**
   * One eta scale's figures.
   *
   * @param etaScale the eta scale (0: every token kept)
   * @param speedup the FLOPs speedup over the full model
   * @param accuracy the accuracy
   * @param f1 the F1
   */
  public record Point(double etaScale, double speedup, double accuracy, double f1) {
    /** Validates the figures. */
    public Point {
      if (!(speedup > 0) || Double.isInfinite(speedup)) {
        throw new IllegalArgumentException("a speedup must be a positive number, found "
            + speedup + " at eta scale " + etaScale);
      }
    }
  }

  /**
   * Starts a chart of a curve.
   *
   * @param curve the points, at least one
   * @return a builder
   */
  public static Builder builder(List<Point> curve) {
    return new Builder(curve);
  }

  /** Options of a chart; {@link #svg()} validates them and draws. */
  public static final class Builder {
    final List<Point> curve;
    Double teacherAccuracy;
    Double recommendedEta;
    String recommendedName = "recommended";
    Double accuracyFloor;
    Double targetSpeedup;
    double viewDrop = VIEW_DROP;
    String title = "accuracy and F1 against FLOPs speedup";

    private Builder(List<Point> curve) {
      Objects.requireNonNull(curve, "curve");
      if (curve.isEmpty()) {
        throw new IllegalArgumentException("a trade-off chart needs at least one point");
      }
      this.curve = List.copyOf(curve);
    }

    /** Adds the full-length teacher as its own point at 1x. */
    public Builder optTeacher(double accuracy) {
      this.teacherAccuracy = accuracy;
      return this;
    }

    /** Rings the point of this eta scale as the recommended one. */
    public Builder optRecommended(double etaScale) {
      return optRecommended(etaScale, "recommended");
    }

    /** Rings the point of this eta scale, named in the legend as {@code name}. */
    public Builder optRecommended(double etaScale, String name) {
      this.recommendedEta = etaScale;
      this.recommendedName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Draws a dashed line at the lowest accuracy a criterion accepts. */
    public Builder optAccuracyFloor(double accuracy) {
      this.accuracyFloor = accuracy;
      return this;
    }

    /** Draws a dashed line at the speedup a criterion asks for. */
    public Builder optTargetSpeedup(double speedup) {
      this.targetSpeedup = speedup;
      return this;
    }

    /** Points more than this below the reference accuracy stay in the table only. */
    public Builder optViewDrop(double drop) {
      if (!(drop >= 0)) {
        throw new IllegalArgumentException("the view drop must be >= 0, found " + drop);
      }
      this.viewDrop = drop;
      return this;
    }

    /** The chart's title (the SVG's accessible name). */
    public Builder optTitle(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** Draws the chart as a self-contained SVG element. */
    public String svg() {
      return new TradeoffDrawing(this).draw();
    }

    /** The reference accuracy: the teacher's, else eta scale 0's, else the best point's. */
    double reference() {
      if (teacherAccuracy != null) {
        return teacherAccuracy;
      }
      return curve.stream().filter(p -> p.etaScale() == 0).findFirst()
          .or(() -> curve.stream().max(Comparator.comparingDouble(Point::accuracy)))
          .orElseThrow().accuracy();
    }

    /** The points the chart shows (the rest go to the note), in the curve's order. */
    List<Point> inView() {
      double cut = reference() - viewDrop;
      if (accuracyFloor != null) {
        cut = Math.min(cut, accuracyFloor - 0.01);
      }
      List<Point> shown = new ArrayList<>();
      for (Point p : curve) {
        if (p.accuracy() >= cut - 1e-12 || isRecommended(p)) {
          shown.add(p);
        }
      }
      return shown.size() >= 2 || curve.size() < 2 ? shown : curve;
    }

    boolean isRecommended(Point p) {
      return recommendedEta != null && p.etaScale() == recommendedEta;
    }
  }
}
