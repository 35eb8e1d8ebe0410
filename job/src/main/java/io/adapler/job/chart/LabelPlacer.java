package io.adapler.job.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Places texts next to the things they name so that none overlaps another text or a marker,
 * crosses a drawn line, or leaves the area they belong to. Each text tries a fixed list of
 * positions around its anchor (above, below, right, left, then the diagonals, then twice as
 * far); the first that is free wins, and a text with no free position is left out (the table
 * beside the chart has it).
 */
final class LabelPlacer {
  private static final double PAD = 2;
  private final Box area;
  private final List<Box> taken = new ArrayList<>();
  private final List<double[]> lines = new ArrayList<>();

  /** @param area where every placed text must lie wholly */
  LabelPlacer(Box area) {
    this.area = area;
  }

  /** Marks a box as taken: a marker, a ring, a text placed by other means. */
  void block(Box b) {
    taken.add(b.grow(PAD));
  }

  /** Marks a drawn line segment: no text may cross it. */
  void blockLine(double x1, double y1, double x2, double y2) {
    lines.add(new double[] {x1, y1, x2, y2});
  }

  /**
   * Places {@code text} beside a marker of radius {@code r} centred on (cx, cy).
   *
   * @return the label, or empty when every position collides
   */
  Optional<Label> near(String text, double cx, double cy, double r) {
    double h = (TextExtent.ASCENT_EM + TextExtent.DESCENT_EM) * Svg.FONT;
    List<Label> tries = new ArrayList<>();
    for (double far : new double[] {0, h}) {
      double gap = r + 3 + far;
      double up = cy - gap - TextExtent.DESCENT_EM * Svg.FONT;
      double down = cy + gap + TextExtent.ASCENT_EM * Svg.FONT;
      double mid = cy + 0.3 * Svg.FONT;
      tries.add(new Label(text, cx, up, "middle"));
      tries.add(new Label(text, cx, down, "middle"));
      tries.add(new Label(text, cx + gap + 1, mid, "start"));
      tries.add(new Label(text, cx - gap - 1, mid, "end"));
      tries.add(new Label(text, cx + r, up, "start"));
      tries.add(new Label(text, cx - r, up, "end"));
      tries.add(new Label(text, cx + r, down, "start"));
      tries.add(new Label(text, cx - r, down, "end"));
    }
    return first(tries);
  }

  /** Places the first free label of {@code tries}, in order. */
  Optional<Label> first(List<Label> tries) {
    for (Label l : tries) {
      Box b = l.box();
      if (b.within(area) && taken.stream().noneMatch(b::overlaps)
          && lines.stream().noneMatch(s -> crosses(s, b.grow(1)))) {
        block(b);
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** Whether the segment passes through the box (Liang-Barsky clipping). */
  static boolean crosses(double[] s, Box b) {
    double dx = s[2] - s[0];
    double dy = s[3] - s[1];
    double[] p = {-dx, dx, -dy, dy};
    double[] q = {s[0] - b.x0(), b.x1() - s[0], s[1] - b.y0(), b.y1() - s[1]};
    double t0 = 0;
    double t1 = 1;
    for (int i = 0; i < 4; i++) {
      if (p[i] == 0) {
        if (q[i] < 0) {
          return false;
        }
      } else {
        double t = q[i] / p[i];
        if (p[i] < 0) {
          t0 = Math.max(t0, t);
        } else {
          t1 = Math.min(t1, t);
        }
      }
    }
    return t0 <= t1;
  }
}
