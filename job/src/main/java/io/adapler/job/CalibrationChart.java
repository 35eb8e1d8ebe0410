package io.adapler.job;

import io.adapler.udf.calibration.Criterion;
import io.adapler.udf.calibration.CurvePoint;
import java.util.List;
import java.util.Locale;

/**
 * The calibration page: a self-contained HTML page (no scripts, no network) with an SVG chart of
 * accuracy and F1 against FLOPs speedup, one point per eta scale, the criterion's line and the
 * recommended point ringed, and the table of figures.
 */
final class CalibrationChart {
  private static final int W = 640;
  private static final int H = 360;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;

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

  static String svg(CalibrationReport r) {
    List<CurvePoint> pts = r.curve().points();
    double xMax = Math.max(1.5, pts.stream().mapToDouble(CurvePoint::flopsSpeedup).max().orElse(1));
    double yMin = pts.stream().mapToDouble(p -> Math.min(p.accuracy(), p.f1())).min().orElse(0);
    yMin = Math.max(0, Math.floor((yMin - 0.01) * 50) / 50);
    Scale s = new Scale(1, xMax * 1.05, yMin, 1);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
            + "font-size=\"11\">", W, H));
    axes(sb, s);
    if (r.criterion() instanceof Criterion.MaxAccuracyDrop d) {
      double y = r.curve().full().accuracy() - d.drop();
      sb.append(line(s.x(s.x0), s.y(y), s.x(s.x1), s.y(y), "#c60", "4 3"))
          .append(text(s.x(s.x1) - 4, s.y(y) - 4, "end", "#c60", "accuracy floor"));
    } else if (r.criterion() instanceof Criterion.TargetSpeedup t && t.speedup() <= s.x1) {
      sb.append(line(s.x(t.speedup()), s.y(s.y0), s.x(t.speedup()), s.y(s.y1), "#c60", "4 3"))
          .append(text(s.x(t.speedup()) + 4, s.y(s.y1) + 12, "start", "#c60", "target"));
    }
    series(sb, s, pts, true, "#3b7dd8");
    series(sb, s, pts, false, "#2a9d55");
    if (r.recommended() != null) {
      CurvePoint p = r.recommended();
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"none\" "
          + "stroke=\"#c60\" stroke-width=\"2\"><title>recommended</title></circle>",
          s.x(p.flopsSpeedup()), s.y(p.accuracy())));
    }
    sb.append(text(LEFT + 10, H - BOTTOM - 10, "start", "#3b7dd8", "accuracy"))
        .append(text(LEFT + 80, H - BOTTOM - 10, "start", "#2a9d55", "F1"))
        .append(text(LEFT + 110, H - BOTTOM - 10, "start", "#333",
            "(points: eta scales; eta 0 is the full model)"));
    return sb.append("</svg>").toString();
  }

  private static void series(StringBuilder sb, Scale s, List<CurvePoint> pts, boolean accuracy,
      String color) {
    StringBuilder path = new StringBuilder();
    for (CurvePoint p : pts) {
      double v = accuracy ? p.accuracy() : p.f1();
      path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
          s.x(p.flopsSpeedup()), s.y(v)));
    }
    sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
        .append("\" stroke-width=\"1.5\"/>");
    double labelledUpTo = -1e9; // points closer than a label's width keep only their tooltip
    for (CurvePoint p : pts) {
      double v = accuracy ? p.accuracy() : p.f1();
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
          + "<title>eta scale %s: %s %.4f, %.2fx</title></circle>", s.x(p.flopsSpeedup()), s.y(v),
          color, p.etaScale(), accuracy ? "accuracy" : "F1", v, p.flopsSpeedup()));
      if (accuracy && s.x(p.flopsSpeedup()) - labelledUpTo >= 44) {
        labelledUpTo = s.x(p.flopsSpeedup());
        sb.append(text(labelledUpTo, s.y(v) - 8, "middle", "#333",
            (p.etaScale() == 0 ? "eta 0" : "eta " + p.etaScale())));
      }
    }
  }

  private static void axes(StringBuilder sb, Scale s) {
    sb.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333", null))
        .append(line(LEFT, TOP, LEFT, H - BOTTOM, "#333", null));
    for (double x = 1; x <= s.x1; x += x < 4 ? 0.5 : 1) {
      sb.append(text(s.x(x), H - BOTTOM + 15, "middle", "#333",
          String.format(Locale.ROOT, "%.1fx", x)));
    }
    for (int i = 0; i <= 5; i++) {
      double y = s.y0 + (s.y1 - s.y0) * i / 5;
      sb.append(text(LEFT - 6, s.y(y) + 4, "end", "#333", String.format(Locale.ROOT, "%.3f", y)))
          .append(line(LEFT, s.y(y), W - RIGHT, s.y(y), "#eee", null));
    }
    sb.append(text((LEFT + W - RIGHT) / 2.0, H - 12, "middle", "#333",
        "FLOPs speedup (full model / AdapLeR, ratio of sums)"));
  }

  private static String line(double x1, double y1, double x2, double y2, String color, String dash) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        + "stroke=\"%s\"%s/>", x1, y1, x2, y2, color,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
  }

  private static String text(double x, double y, String anchor, String color, String s) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">"
        + "%s</text>", x, y, anchor, color, escape(s));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Data to pixel coordinates. */
  private record Scale(double x0, double x1, double y0, double y1) {
    double x(double v) {
      return LEFT + (v - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    }

    double y(double v) {
      return H - BOTTOM - (v - y0) / (y1 - y0) * (H - TOP - BOTTOM);
    }
  }
}
