package io.adapler.job.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a {@link RunSummary} as {@code summary.json} and as {@code summary.html}, a small
 * self-contained page (inline CSS and SVG, no script, nothing fetched) with a chart of the
 * mean kept length per layer and, when given, example rows coloured by how long each token
 * survived ({@link TokenHeatmap}).
 */
public final class SummaryReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryReport() {}

  /**
   * Writes both files into {@code dir} (any Hadoop FileSystem), replacing older ones.
   *
   * @return the path of the JSON file
   */
  public static Path write(RunSummary s, String dir, Configuration conf) throws IOException {
    return write(s, "", "", dir, conf);
  }

  /**
   * Writes both files, the page with an examples section.
   *
   * @param css the section's style rules ({@link TokenHeatmap#css})
   * @param examples the section's HTML ({@link TokenHeatmap#section}), or "" for none
   * @return the path of the JSON file
   */
  public static Path write(RunSummary s, String css, String examples, String dir,
      Configuration conf)
      throws IOException {
    Path base = new Path(dir);
    FileSystem fs = base.getFileSystem(conf);
    Path json = new Path(base, "summary.json");
    try (OutputStream out = fs.create(json, true)) {
      out.write(JSON.writeValueAsBytes(s));
    }
    try (OutputStream out = fs.create(new Path(base, "summary.html"), true)) {
      out.write(html(s, css, examples).getBytes(StandardCharsets.UTF_8));
    }
    return json;
  }

  /** Returns the HTML page for a summary. */
  static String html(RunSummary s) {
    return html(s, "", "");
  }

  /** Returns the HTML page for a summary, with an examples section (may be empty). */
  static String html(RunSummary s, String css, String examples) {
    StringBuilder rows = new StringBuilder();
    row(rows, "bundle", s.bundle());
    row(rows, "input", s.input());
    row(rows, "output", s.output());
    row(rows, "eta scale", String.valueOf(s.etaScale()));
    row(rows, "device", s.device());
    row(rows, "rows", String.format(Locale.ROOT, "%,d", s.rows()));
    for (Map.Entry<String, Long> e : s.statusCounts().entrySet()) {
      row(rows, "status " + e.getKey(), String.format(Locale.ROOT, "%,d", e.getValue()));
    }
    row(rows, "malformed records (among ERROR)",
        String.format(Locale.ROOT, "%,d", s.malformedRecords()));
    row(rows, "truncated", String.format(Locale.ROOT, "%,d", s.truncatedRows()));
    row(rows, "FLOPs speedup", String.format(Locale.ROOT, "%.2fx", s.corpusFlopsSpeedup()));
    row(rows, "throughput", String.format(Locale.ROOT, "%,.1f rows/s, %,.0f tokens/s",
        s.rowsPerSecond(), s.tokensPerSecond()));
    row(rows, "wall time", String.format(Locale.ROOT, "%.1f s", s.wallSeconds()));
    Reconciliation r = s.reconciliation();
    if (r != null) {
      row(rows, "rows in and out", String.format(Locale.ROOT, "%s: read %,d, skipped as already "
          + "scored %,d, written %,d, output gained %s%s", r.verdict(), r.rowsRead(),
          r.rowsSkipped(), r.rowsWritten(), r.rowsCommitted() < 0 ? "not counted"
              : String.format(Locale.ROOT, "%,d", r.rowsCommitted()),
          r.problems().isEmpty() ? "" : " (" + String.join("; ", r.problems()) + ")"));
    }
    if (s.parts() != null) {
      row(rows, "parts", String.format(Locale.ROOT, "%d: %d already committed (skipped), %d "
          + "scored in this run", s.parts().parts(), s.parts().skipped(), s.parts().scored()));
    }
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>AdapLeR run summary</title>"
        + "<style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px}"
        + "td:first-child{color:#555}" + css + "</style></head><body>\n"
        + "<h1>AdapLeR run summary</h1>\n"
        + "<table>" + rows + "</table>\n<h2>Mean tokens per layer</h2>\n" + chart(s)
        + "\n" + examples + "</body></html>\n";
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append("<tr><td>").append(escape(key)).append("</td><td>").append(escape(value))
        .append("</td></tr>");
  }

  /** A bar per layer (and one for the input), scaled to the input length. */
  static String chart(RunSummary s) {
    double[] lengths = s.meanLayerLengths();
    int bars = lengths.length + 1;
    int barW = 48;
    int gap = 16;
    int h = 220;
    int top = 20;
    int width = bars * (barW + gap) + gap;
    double max = Math.max(1e-9, Math.max(s.meanInputLength(), maxOf(lengths)));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
        width, h + top + 40));
    for (int i = 0; i < bars; i++) {
      double v = i == 0 ? s.meanInputLength() : lengths[i - 1];
      int bh = (int) Math.round(h * v / max);
      int x = gap + i * (barW + gap);
      String label = i == 0 ? "input" : "layer " + i; // 1..L, as the token legend counts
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %.1f</title>"
              + "</rect><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.1f</text>"
              + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
          x, top + h - bh, barW, bh, i == 0 ? "#999" : "#3b7dd8", label, v,
          x + barW / 2, top + h - bh - 4, v, x + barW / 2, top + h + 16, label));
    }
    return sb.append("</svg>").toString();
  }

  private static double maxOf(double[] xs) {
    double m = 0;
    for (double x : xs) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static String escape(String s) {
    return HtmlText.escape(s);
  }
}
