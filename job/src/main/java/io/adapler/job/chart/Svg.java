package io.adapler.job.chart;

import java.util.Locale;

/**
 * Writes the elements of one SVG document. Every text carries a {@code class} that says its
 * role (tick, label, legend, title, note), so that tests and browser checks can find them.
 */
final class Svg {
  static final double FONT = 11;
  private final StringBuilder sb = new StringBuilder();

  Svg(double width, double height, String title) {
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        + "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
        + "font-family=\"sans-serif\" font-size=\"%.0f\"><title>%s</title>", width, height,
        width, height, FONT, escape(title)));
  }

  Svg line(double x1, double y1, double x2, double y2, String color, String dash) {
    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        + "stroke=\"%s\"%s/>", x1, y1, x2, y2, color,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
    return this;
  }

  Svg path(String d, String color) {
    sb.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
        .append("\" stroke-width=\"1.5\"/>");
    return this;
  }

  /** A filled (or, with {@code fill} "none", ringed) circle with a tooltip. */
  Svg circle(double cx, double cy, double r, String fill, String stroke, String tooltip) {
    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
        + "fill=\"%s\"%s><title>%s</title></circle>", cx, cy, r, fill,
        stroke == null ? "" : " stroke=\"" + stroke + "\" stroke-width=\"2\"", escape(tooltip)));
    return this;
  }

  /** A square marker centred on the point, with a tooltip. */
  Svg square(double cx, double cy, double half, String fill, String tooltip) {
    sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        + "height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>", cx - half, cy - half, 2 * half,
        2 * half, fill, escape(tooltip)));
    return this;
  }

  Svg text(double x, double y, String anchor, String color, String role, String s) {
    sb.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" "
        + "text-anchor=\"%s\" fill=\"%s\">%s</text>", role, x, y, anchor, color, escape(s)));
    return this;
  }

  /** A text written in the box a {@link Label} was given. */
  Svg text(Label l, String color, String role) {
    return text(l.x(), l.y(), l.anchor(), color, role, l.text());
  }

  String done() {
    return sb.append("</svg>").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
