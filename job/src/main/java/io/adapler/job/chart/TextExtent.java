package io.adapler.job.chart;

/**
 * An upper estimate of a text's extent, so that charts can be laid out without a font. The
 * average advance of DejaVu Sans and Liberation Sans (the sans-serif faces of Linux browsers)
 * is at most 0.64 em for digits and below that for lower-case letters and punctuation; 0.62 em
 * per character overestimates the labels charts draw ("eta 0.75", "16x", "0.96").
 */
final class TextExtent {
  /** Width of one character, in em. */
  static final double CHAR_EM = 0.62;
  /** Ascent above the baseline, in em. */
  static final double ASCENT_EM = 0.8;
  /** Descent below the baseline, in em. */
  static final double DESCENT_EM = 0.25;

  private TextExtent() {}

  /** The estimated width of {@code s} at {@code fontSize} pixels. */
  static double width(String s, double fontSize) {
    return s.codePointCount(0, s.length()) * CHAR_EM * fontSize;
  }

  /**
   * The box of a text drawn with its baseline at {@code y}.
   *
   * @param anchor SVG's text-anchor: start, middle or end
   */
  static Box box(double x, double y, String anchor, double fontSize, String s) {
    double w = width(s, fontSize);
    double left = switch (anchor) {
      case "start" -> x;
      case "middle" -> x - w / 2;
      case "end" -> x - w;
      default -> throw new IllegalArgumentException("text-anchor start, middle or end, found "
          + anchor);
    };
    return new Box(left, y - ASCENT_EM * fontSize, left + w, y + DESCENT_EM * fontSize);
  }
}
