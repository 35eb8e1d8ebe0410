package io.adapler.job.report;

import io.adapler.job.report.ExampleTokens.Example;
import io.adapler.job.report.ExampleTokens.Piece;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary page's example rows as HTML: each row's text with every word piece's characters
 * coloured by how many layers ran on the piece (class {@code tN}; {@code t0} dropped before
 * the first layer, {@code tL} reached the last), a legend, and the row's figures. All text is
 * escaped ({@link HtmlText}); the styles are inline CSS, so the page needs nothing else.
 */
public final class TokenHeatmap {
  /** Characters of one text shown at most; the rest is summarised in one line. */
  static final int MAX_CHARS = 3000;
  /** A character no word piece covers (whitespace, control characters). */
  private static final int NONE = Integer.MIN_VALUE;
  private static final int[] RAMP = {0xedf8b1, 0xc7e9b4, 0x7fcdbb, 0x41b6c4, 0x1d91c0, 0x225ea8};

  private TokenHeatmap() {}

  /** The CSS class of a piece that ran through {@code layers} layers. */
  static String cssClass(int layers) {
    return layers == ExampleTokens.UNKNOWN ? "tu" : "t" + layers;
  }

  /** The style rules of the heat map for a model of {@code layers} layers. */
  public static String css(int layers) {
    StringBuilder sb = new StringBuilder(".ex{margin:0 0 1.4em;max-width:70em}"
        + ".ex .meta{color:#555;font-size:90%;margin:.2em 0}"
        + ".ex .txt{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7;"
        + "border-left:3px solid #ddd;padding:.2em .8em;margin:.3em 0;font-family:Georgia,serif}"
        + ".ex .seg{color:#777;font-size:80%;font-family:sans-serif}"
        + ".ex .cut{color:#777;font-style:italic;font-family:sans-serif;font-size:85%}"
        + ".ex .warn{color:#a33}"
        + ".txt span[class]{border-radius:2px;padding:1px 0}"
        + ".legend span{display:inline-block;min-width:2.2em;text-align:center;margin-right:2px;"
        + "padding:2px 4px}"
        + ".t0,.tu{color:#8f8f8f}.tu{text-decoration:underline dotted}");
    for (int v = 1; v <= layers; v++) {
      int[] rgb = ramp(layers == 1 ? 1 : (v - 1) / (double) (layers - 1));
      double luminance = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
      sb.append(String.format(Locale.ROOT, ".t%d{background:#%02x%02x%02x;color:%s}", v,
          rgb[0], rgb[1], rgb[2], luminance < 0.5 ? "#fff" : "#111"));
    }
    return sb.toString();
  }

  /** A sequential pale yellow-green to blue ramp (ColorBrewer YlGnBu), t in [0, 1]. */
  static int[] ramp(double t) {
    double x = t * (RAMP.length - 1);
    int i = Math.min((int) x, RAMP.length - 2);
    double f = x - i;
    int[] out = new int[3];
    for (int c = 0; c < 3; c++) {
      int a = (RAMP[i] >> (16 - 8 * c)) & 0xff;
      int b = (RAMP[i + 1] >> (16 - 8 * c)) & 0xff;
      out[c] = (int) Math.round(a + f * (b - a));
    }
    return out;
  }

  /**
   * The examples section: a legend, then the examples grouped by predicted label.
   *
   * @param examples the scored examples
   * @param layers the model's number of layers
   * @param exact whether the graph said every piece's layers (else only the last layer's)
   */
  public static String section(List<Example> examples, int layers, boolean exact) {
    StringBuilder sb = new StringBuilder("<h2>Example rows</h2>\n");
    sb.append("<p class=\"legend\">Each word piece is coloured by the number of layers that ran "
        + "on it: ");
    if (exact) {
      for (int v = 0; v <= layers; v++) {
        sb.append("<span class=\"").append(cssClass(v)).append("\">").append(v)
            .append("</span>");
      }
      sb.append(" (0: dropped before layer 1; ").append(layers).append(": ran through layer ")
          .append(layers).append(", the last: the row's rationale).");
    } else {
      sb.append("<span class=\"tu\">dropped</span><span class=\"").append(cssClass(layers))
          .append("\">").append(layers).append("</span> (").append(layers).append(": reached the"
          + " last layer, the row's rationale). This bundle's graph has no <code>token_layers"
          + "</code> output, so a dropped piece shows without the layer it was dropped at;"
          + " re-export the bundle for the full picture.");
    }
    sb.append(" Uncoloured characters are not part of any piece (spaces, control characters)."
        + "</p>\n");
    Map<String, List<Example>> byRow = new LinkedHashMap<>();
    for (Example e : examples) {
      byRow.computeIfAbsent(e.row().labelIndex() + "/" + e.row().id(), k -> new ArrayList<>())
          .add(e);
    }
    String label = null;
    for (List<Example> same : byRow.values()) {
      Example e = same.get(0);
      if (!e.label().equals(label)) {
        label = e.label();
        sb.append("<h3>predicted ").append(HtmlText.escape(label)).append("</h3>\n");
      }
      example(sb, e, same.stream().map(x -> x.row().kind().title()).toList(), layers);
    }
    return sb.toString();
  }

  private static void example(StringBuilder sb, Example e, List<String> kinds, int layers) {
    sb.append("<div class=\"ex\"><div class=\"meta\"><b>")
        .append(HtmlText.escape(String.join(", ", kinds))).append("</b> &middot; id ")
        .append(HtmlText.escape(e.row().id()))
        .append(String.format(Locale.ROOT, " &middot; p(%s) %.3f &middot; tokens %d",
            HtmlText.escape(e.label()), e.probability(), e.inputLength()));
    for (int l : e.layerLengths()) {
      sb.append(" &rarr; ").append(l);
    }
    sb.append(String.format(Locale.ROOT, " &middot; FLOPs speedup %.2fx", e.flopsSpeedup()));
    if (!e.matchesOutput()) {
      sb.append(String.format(Locale.ROOT, " <span class=\"warn\">(scored again on the "
          + "driver's CPU for this page; the output row says %.2fx)</span>",
          e.row().flopsSpeedup()));
    }
    sb.append("</div>\n");
    boolean pair = e.row().pair() != null;
    text(sb, e.row().text(), e.pieces(), 0, e.truncated(), pair ? "text" : null);
    if (pair) {
      text(sb, e.row().pair(), e.pieces(), 1, e.truncated(), "pair");
    }
    sb.append("</div>\n");
  }

  /** One segment's text, as runs of characters of the same class. */
  static void text(StringBuilder sb, String s, List<Piece> pieces, int segment,
      boolean truncated, String name) {
    int n = s.length();
    int[] cls = new int[n];
    Arrays.fill(cls, NONE);
    int lastEnd = 0;
    for (Piece p : pieces) {
      if (p.segment() != segment) {
        continue;
      }
      for (int c = Math.max(0, p.start()); c < Math.min(n, p.end()); c++) {
        cls[c] = Math.max(cls[c], p.layers());
      }
      lastEnd = Math.max(lastEnd, Math.min(n, p.end()));
    }
    for (int c = 1; c < n; c++) { // never split a surrogate pair between two runs
      if (Character.isLowSurrogate(s.charAt(c)) && Character.isHighSurrogate(s.charAt(c - 1))) {
        cls[c] = cls[c - 1];
      }
    }
    // Truncation cuts text the model never read; trailing blanks alone are not worth a note.
    boolean cut = truncated && !s.substring(lastEnd).isBlank();
    int shown = Math.min(cut ? lastEnd : n, MAX_CHARS);
    if (shown < n && shown > 0 && Character.isHighSurrogate(s.charAt(shown - 1))) {
      shown++;
    }
    sb.append("<div class=\"txt\">");
    if (name != null) {
      sb.append("<span class=\"seg\">").append(name).append(": </span>");
    }
    for (int start = 0; start < shown; ) {
      int end = start + 1;
      while (end < shown && cls[end] == cls[start]) {
        end++;
      }
      String run = HtmlText.escape(s.substring(start, end));
      if (cls[start] == NONE) {
        sb.append(run);
      } else {
        sb.append("<span class=\"").append(cssClass(cls[start])).append("\">").append(run)
            .append("</span>");
      }
      start = end;
    }
    if (shown < n) {
      sb.append(String.format(Locale.ROOT, "<span class=\"cut\"> &hellip; %,d more characters"
          + " %s</span>", n - shown, shown < lastEnd || !cut
              ? "not shown" : "the model did not read (truncated at the max length)"));
    }
    sb.append("</div>\n");
  }
}
