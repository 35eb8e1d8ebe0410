package io.adapler.job.chart;

/**
 * An axis-aligned rectangle in pixels (y grows downwards): a text's extent, a marker, the plot
 * area.
 */
record Box(double x0, double y0, double x1, double y1) {

  /** The square around a circle's centre. */
  static Box around(double cx, double cy, double r) {
    return new Box(cx - r, cy - r, cx + r, cy + r);
  }

  /** Whether the two rectangles share any area (touching edges do not count). */
  boolean overlaps(Box o) {
    return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }

  /** Whether this rectangle lies wholly within {@code o}. */
  boolean within(Box o) {
    return x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1;
  }

  /** This rectangle grown by {@code d} pixels on every side. */
  Box grow(double d) {
    return new Box(x0 - d, y0 - d, x1 + d, y1 + d);
  }
}
