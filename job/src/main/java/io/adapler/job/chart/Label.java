package io.adapler.job.chart;

/**
 * A text placed at a baseline point with an anchor, and the box it covers.
 *
 * @param text what it says
 * @param x the anchor's x
 * @param y the baseline's y
 * @param anchor SVG's text-anchor
 */
record Label(String text, double x, double y, String anchor) {

  Box box() {
    return TextExtent.box(x, y, anchor, Svg.FONT, text);
  }
}
