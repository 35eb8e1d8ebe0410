package io.adapler.job.calibration;

import io.adapler.job.chart.TradeoffChart;
import io.adapler.udf.calibration.Criterion;
import io.adapler.udf.calibration.CurvePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The calibration page: a self-contained HTML page (no scripts, no network) with an SVG chart of
 * accuracy and F1 against FLOPs speedup, one point per eta scale, the criterion's line and the
 * recommended point ringed, and the table of figures.
 */
final class CalibrationChart {
  private CalibrationChart() {}

  static String page(CalibrationReport r) {
    StringBuilder rows = new StringBuilder();
    for (CurvePoint p : r.curve().points()) {
      rows.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td>%.4f</td><td>%.4f</td>"
          + "<td>%.2fx</td></tr>", p == r.recommended() ? " class=\"rec\"" : "", p.etaScale(),
          p.accuracy(), p.f1(), p.flopsSpeedup()));
    }
    String verdict = r.recommended() == null
        ? "No eta scale of the grid meets the criterion."
        : String.format(Locale.ROOT, "Recommended eta scale: <b>%s</b> (accuracy %.4f, FLOPs "
            + "speedup %.2fx).", r.recommended().etaScale(), r.recommended().accuracy(),
            r.recommended().flopsSpeedup());
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>AdapLeR calibration</title>"
        + "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 12px;text-align:right}"
        + "tr.rec{background:#fde9c9}</style></head><body>\n<h1>AdapLeR calibration</h1>\n<p>"
        + escape(String.format(Locale.ROOT, "Bundle %s on %s (labels in '%s'): %,d rows.",
            r.bundle(), r.input(), r.labelColumn(), r.curve().rows()))
        + "<br>Criterion: " + escape(r.criterion().describe()) + ".<br>" + verdict + "</p>\n"
        + svg(r) + "\n<table><tr><th>eta scale</th><th>accuracy</th><th>F1</th>"
        + "<th>FLOPs speedup</th></tr>" + rows + "</table>\n</body></html>\n";
  }

  /** The trade-off chart of the curve, with the criterion's line and the recommended point. */
  static String svg(CalibrationReport r) {
    List<TradeoffChart.Point> points = new ArrayList<>();
    for (CurvePoint p : r.curve().points()) {
      points.add(new TradeoffChart.Point(p.etaScale(), p.flopsSpeedup(), p.accuracy(), p.f1()));
    }
    TradeoffChart.Builder chart = TradeoffChart.builder(points)
        .optTitle("AdapLeR calibration of " + r.bundle() + ": accuracy and F1 against FLOPs "
            + "speedup");
    if (r.criterion() instanceof Criterion.MaxAccuracyDrop d) {
      chart.optAccuracyFloor(r.curve().full().accuracy() - d.drop());
    } else if (r.criterion() instanceof Criterion.TargetSpeedup t) {
      chart.optTargetSpeedup(t.speedup());
    }
    if (r.recommended() != null) {
      chart.optRecommended(r.recommended().etaScale());
    }
    return chart.svg();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
