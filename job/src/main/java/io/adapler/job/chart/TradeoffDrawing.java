package io.adapler.job.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Lays out and writes one {@link TradeoffChart}: axes, series, markers, labels, legend. The
 * arithmetic is StrictMath's, so that the same figures give the same bytes on every CPU.
 */
final class TradeoffDrawing {
  private static final double W = 720;
  private static final double LEFT = 64;
  private static final double RIGHT = W - 24;
  private static final double TOP = 32;
  private static final double BOTTOM = TOP + 300;
  private static final double R = 3.5;
  private static final double RING = 9;
  private static final String ACC = "#3b7dd8";
  private static final String F1 = "#2a9d55";
  private static final String TEACHER = "#555";
  private static final String CRITERION = "#c60";
  private static final String INK = "#333";

  private final TradeoffChart.Builder c;
  private final List<TradeoffChart.Point> shown;
  private final double x0;
  private final double x1;
  private final List<Double> yTicks;

  TradeoffDrawing(TradeoffChart.Builder c) {
    this.c = c;
    this.shown = c.inView();
    double lo = 1;
    double hi = 1;
    for (TradeoffChart.Point p : shown) {
      lo = Math.min(lo, p.speedup());
      hi = Math.max(hi, p.speedup());
    }
    if (c.targetSpeedup != null) {
      hi = Math.max(hi, c.targetSpeedup);
    }
    double span = Math.max(StrictMath.log(hi / lo), StrictMath.log(1.25));
    double mid = (StrictMath.log(hi) + StrictMath.log(lo)) / 2;
    double logLo = Math.min(StrictMath.log(lo), mid - span / 2);
    double logHi = Math.max(StrictMath.log(hi), mid + span / 2);
    this.x0 = StrictMath.exp(logLo - 0.05 * span);
    this.x1 = StrictMath.exp(logHi + 0.05 * span);
    double yLo = 1;
    double yHi = 0;
    for (TradeoffChart.Point p : shown) {
      yLo = Math.min(yLo, Math.min(p.accuracy(), p.f1()));
      yHi = Math.max(yHi, Math.max(p.accuracy(), p.f1()));
    }
    for (Double v : new Double[] {c.teacherAccuracy, c.accuracyFloor}) {
      if (v != null) {
        yLo = Math.min(yLo, v);
        yHi = Math.max(yHi, v);
      }
    }
    if (yHi - yLo < 0.02) {
      yLo = Math.max(0, yHi - 0.02);
      yHi = yLo + 0.02;
    }
    this.yTicks = Ticks.linear(yLo, yHi, 6);
  }

  double x(double speedup) {
    return LEFT + StrictMath.log(speedup / x0) / StrictMath.log(x1 / x0) * (RIGHT - LEFT);
  }

  double y(double v) {
    double lo = yTicks.get(0);
    double hi = yTicks.get(yTicks.size() - 1);
    return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP);
  }

  String draw() {
    List<String> notes = notes();
    double height = BOTTOM + 70 + 18 * notes.size();
    Svg svg = new Svg(W, height, c.title);
    axes(svg);
    LabelPlacer placer = new LabelPlacer(new Box(LEFT, TOP, RIGHT, BOTTOM));
    series(svg, placer, true);
    series(svg, placer, false);
    criterion(svg, placer);
    markers(svg, placer);
    pointLabels(svg, placer);
    legend(svg, BOTTOM + 58);
    for (int i = 0; i < notes.size(); i++) {
      svg.text(LEFT, BOTTOM + 78 + 18 * i, "start", INK, "note", notes.get(i));
    }
    return svg.done();
  }

  private void axes(Svg svg) {
    List<Double> xTicks = Ticks.logSpeedup(x0, x1);
    for (double t : xTicks) {
      svg.line(x(t), TOP, x(t), BOTTOM, "#eee", null)
          .text(x(t), BOTTOM + 16, "middle", INK, "tick", Ticks.format(t) + "x");
    }
    List<String> yLabels = Ticks.formatAll(yTicks);
    for (int i = 0; i < yTicks.size(); i++) {
      double yy = y(yTicks.get(i));
      svg.line(LEFT, yy, RIGHT, yy, "#eee", null)
          .text(LEFT - 6, yy + 4, "end", INK, "tick", yLabels.get(i));
    }
    svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, INK, null).line(LEFT, TOP, LEFT, BOTTOM, INK, null)
        .text(LEFT, TOP - 12, "start", INK, "title", "accuracy, F1")
        .text((LEFT + RIGHT) / 2, BOTTOM + 36, "middle", INK, "title",
            "FLOPs speedup over the full model (ratio of sums, log scale)");
  }

  /** The criterion's line and its label, placed first so that point labels avoid them. */
  private void criterion(Svg svg, LabelPlacer placer) {
    if (c.accuracyFloor != null) {
      double yy = y(c.accuracyFloor);
      svg.line(LEFT, yy, RIGHT, yy, CRITERION, "4 3");
      String s = "accuracy floor " + fmt(c.accuracyFloor);
      placer.first(List.of(new Label(s, RIGHT - 4, yy - 4, "end"),
          new Label(s, RIGHT - 4, yy + 13, "end"), new Label(s, LEFT + 4, yy - 4, "start"),
          new Label(s, LEFT + 4, yy + 13, "start"), new Label(s, (LEFT + RIGHT) / 2, yy - 4,
          "middle"), new Label(s, (LEFT + RIGHT) / 2, yy + 13, "middle")))
          .ifPresent(l -> svg.text(l, CRITERION, "label"));
      placer.blockLine(LEFT, yy, RIGHT, yy);
    } else if (c.targetSpeedup != null) {
      double xx = x(c.targetSpeedup);
      svg.line(xx, TOP, xx, BOTTOM, CRITERION, "4 3");
      String s = "target " + Ticks.format(c.targetSpeedup) + "x";
      placer.first(List.of(new Label(s, xx + 4, TOP + 12, "start"),
          new Label(s, xx - 4, TOP + 12, "end"), new Label(s, xx + 4, BOTTOM - 6, "start"),
          new Label(s, xx - 4, BOTTOM - 6, "end"))).ifPresent(l -> svg.text(l, CRITERION, "label"));
      placer.blockLine(xx, TOP, xx, BOTTOM);
    }
  }

  private void series(Svg svg, LabelPlacer placer, boolean accuracy) {
    StringBuilder d = new StringBuilder();
    double[] last = null;
    for (TradeoffChart.Point p : shown) {
      double[] at = {x(p.speedup()), y(accuracy ? p.accuracy() : p.f1())};
      d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
          at[0], at[1]));
      if (last != null) {
        placer.blockLine(last[0], last[1], at[0], at[1]);
      }
      last = at;
    }
    svg.path(d.toString(), accuracy ? ACC : F1);
  }

  /** Every marker, blocked for the labels before any label is placed. */
  private void markers(Svg svg, LabelPlacer placer) {
    for (TradeoffChart.Point p : shown) {
      double px = x(p.speedup());
      svg.circle(px, y(p.f1()), R, F1, null, String.format(Locale.ROOT,
          "eta scale %s: F1 %.4f, %.2fx", Ticks.format(p.etaScale()), p.f1(), p.speedup()));
      svg.circle(px, y(p.accuracy()), R, ACC, null, String.format(Locale.ROOT,
          "eta scale %s: accuracy %.4f, %.2fx", Ticks.format(p.etaScale()), p.accuracy(),
          p.speedup()));
      placer.block(Box.around(px, y(p.f1()), R));
      placer.block(Box.around(px, y(p.accuracy()), R));
      if (c.isRecommended(p)) {
        svg.circle(px, y(p.accuracy()), RING, "none", CRITERION, c.recommendedName);
        placer.block(Box.around(px, y(p.accuracy()), RING + 1));
      }
    }
    if (c.teacherAccuracy != null) {
      svg.square(x(1), y(c.teacherAccuracy), 4, TEACHER, String.format(Locale.ROOT,
          "teacher (full model): accuracy %.4f, 1x", c.teacherAccuracy));
      placer.block(Box.around(x(1), y(c.teacherAccuracy), 4));
    }
  }

  /** The labels, most telling first: teacher, recommended, eta 0, the trained point, the rest. */
  private void pointLabels(Svg svg, LabelPlacer placer) {
    if (c.teacherAccuracy != null) {
      placer.near("teacher", x(1), y(c.teacherAccuracy), 4)
          .ifPresent(l -> svg.text(l, TEACHER, "label"));
    }
    List<TradeoffChart.Point> order = new ArrayList<>(shown);
    order.sort(Comparator.comparingInt((TradeoffChart.Point p) -> c.isRecommended(p) ? 0
        : p.etaScale() == 0 ? 1 : p.etaScale() == 1 ? 2 : 3)
        .thenComparingDouble(TradeoffChart.Point::speedup));
    List<TradeoffChart.Point> named = new ArrayList<>();
    for (TradeoffChart.Point p : order) {
      if (named.contains(p)) {
        continue;
      }
      // points drawn on the same spot (eta 0 and 0.25 often keep every token) share one label
      List<String> etas = new ArrayList<>();
      for (TradeoffChart.Point q : order) {
        if (!named.contains(q) && Math.abs(x(q.speedup()) - x(p.speedup())) < 2
            && Math.abs(y(q.accuracy()) - y(p.accuracy())) < 2) {
          named.add(q);
          etas.add(Ticks.format(q.etaScale()));
        }
      }
      etas.sort(Comparator.comparingDouble(Double::parseDouble));
      double r = c.isRecommended(p) ? RING + 1 : R;
      placer.near("eta " + String.join(", ", etas), x(p.speedup()), y(p.accuracy()), r)
          .ifPresent(l -> svg.text(l, INK, "label"));
    }
  }

  private void legend(Svg svg, double baseline) {
    double at = LEFT;
    double my = baseline - 4;
    svg.circle(at + 5, my, R, ACC, null, "accuracy");
    at = legendText(svg, at, baseline, "accuracy");
    svg.circle(at + 5, my, R, F1, null, "F1");
    at = legendText(svg, at, baseline, "F1");
    if (c.teacherAccuracy != null) {
      svg.square(at + 5, my, 4, TEACHER, "teacher");
      at = legendText(svg, at, baseline, "teacher (full model)");
    }
    if (c.recommendedEta != null) {
      svg.circle(at + 5, my, 5, "none", CRITERION, c.recommendedName);
      at = legendText(svg, at, baseline, c.recommendedName);
    }
    if (c.accuracyFloor != null || c.targetSpeedup != null) {
      svg.line(at, my, at + 10, my, CRITERION, "4 3");
      legendText(svg, at, baseline, c.accuracyFloor != null ? "accuracy floor" : "target speedup");
    }
  }

  /** The legend's text after a marker at {@code at}; returns where the next item starts. */
  private static double legendText(Svg svg, double at, double baseline, String text) {
    svg.text(at + 16, baseline, "start", INK, "legend", text);
    return at + 16 + TextExtent.width(text, Svg.FONT) + 22;
  }

  /** What the chart leaves out, said under it. */
  private List<String> notes() {
    List<TradeoffChart.Point> out = new ArrayList<>(c.curve);
    out.removeAll(shown);
    if (out.isEmpty()) {
      return List.of();
    }
    List<String> etas = new ArrayList<>();
    for (TradeoffChart.Point p : out) {
      etas.add(Ticks.format(p.etaScale()));
    }
    String list = etas.size() <= 5 ? String.join(", ", etas)
        : String.join(", ", etas.subList(0, 4)) + ", ... " + etas.get(etas.size() - 1);
    double highest = out.stream().mapToDouble(TradeoffChart.Point::accuracy).max().orElse(0);
    return List.of(String.format(Locale.ROOT, "Not drawn: %d eta scale%s past the accuracy cliff "
        + "(%s; accuracy %s or less), in the table.", out.size(), out.size() == 1 ? "" : "s", list,
        fmt(highest)));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
