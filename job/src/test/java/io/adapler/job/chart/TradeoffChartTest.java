package io.adapler.job.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads the charts back as SVG and checks what a reader sees: no two texts on top of each
 * other, no label on a marker, at most eight tick labels per axis at round values, a log
 * speedup axis, and the points past the accuracy cliff left to the table.
 */
class TradeoffChartTest {
  /** The shipped 128-token model's test-split curve and teacher, as its manifest carries them. */
  static final List<TradeoffChart.Point> SPAM = List.of(
      new TradeoffChart.Point(0, 0.9934, 0.9835, 0.9734),
      new TradeoffChart.Point(0.25, 0.9936, 0.9835, 0.9734),
      new TradeoffChart.Point(0.5, 1.28, 0.9851, 0.9763),
      new TradeoffChart.Point(0.6, 1.59, 0.9884, 0.9814),
      new TradeoffChart.Point(0.75, 2.31, 0.9884, 0.9814),
      new TradeoffChart.Point(0.9, 3.43, 0.9802, 0.9681),
      new TradeoffChart.Point(1, 4.46, 0.9835, 0.9731),
      new TradeoffChart.Point(1.1, 5.76, 0.9769, 0.9624),
      new TradeoffChart.Point(1.25, 8.23, 0.9571, 0.9286),
      new TradeoffChart.Point(1.5, 13.45, 0.8416, 0.7091));

  @Test
  void theShippedCurveReadsCleanly() throws Exception {
    SvgTexts svg = new SvgTexts(TradeoffChart.builder(SPAM).optTeacher(0.9868)
        .optRecommended(1, "the trained point (default)").svg());
    assertEquals(List.of(), svg.overlappingTexts());
    assertEquals(List.of(), svg.textsOnCircles("label"));
    assertEquals(List.of(), svg.textsOnSeries("label"));
    List<String> xTicks = xTicks(svg);
    assertEquals(List.of("1x", "2x", "4x", "8x"), xTicks);
    assertTrue(svg.texts.stream().anyMatch(t -> t.text().equals("teacher")), "teacher labelled");
    // eta 0 and 0.25 sit on one spot (0.9934x and 0.9936x, the same accuracy): one label
    assertTrue(svg.texts.stream().anyMatch(t -> t.text().equals("eta 0, 0.25")), "shared label");
    assertTrue(svg.texts.stream().anyMatch(t -> t.text().equals("eta 1")), "trained point");
    // 0.8416 is 14.5 points below the teacher: not drawn, named in the note
    assertFalse(svg.texts.stream().anyMatch(t -> t.text().equals("eta 1.5")));
    assertEquals(1, svg.role("note").size());
    assertTrue(svg.role("note").get(0).text().contains("1 eta scale past the accuracy cliff (1.5;"),
        svg.role("note").get(0).text());
    // accuracy ticks at round values: 0.9286 .. 0.9868 in steps of 0.02
    assertEquals(List.of("0.92", "0.94", "0.96", "0.98", "1.00"), yTicks(svg));
  }

  @Test
  void theSpeedupAxisIsLogarithmic() throws Exception {
    SvgTexts svg = new SvgTexts(TradeoffChart.builder(SPAM).svg());
    List<Double> x = svg.role("tick").stream().filter(t -> t.text().endsWith("x"))
        .map(t -> (t.x0() + t.x1()) / 2).toList();
    // 1x -> 2x, 2x -> 4x and 4x -> 8x are the same distance (a ratio of 2 each)
    assertEquals(x.get(1) - x.get(0), x.get(2) - x.get(1), 0.2);
    assertEquals(x.get(2) - x.get(1), x.get(3) - x.get(2), 0.2);
  }

  @Test
  void aDenseCurveKeepsItsLabelsApart() throws Exception {
    List<TradeoffChart.Point> dense = new ArrayList<>();
    for (int i = 0; i <= 60; i++) {
      double eta = i * 0.05;
      double speedup = Math.pow(60, eta / 3);
      double acc = eta < 1.4 ? 0.985 - 0.004 * eta : 0.68;
      dense.add(new TradeoffChart.Point(eta, speedup, acc, acc - 0.01));
    }
    SvgTexts svg = new SvgTexts(TradeoffChart.builder(dense).optAccuracyFloor(0.975)
        .optRecommended(1.25).svg());
    assertEquals(List.of(), svg.overlappingTexts());
    assertEquals(List.of(), svg.textsOnCircles("label"));
    assertEquals(List.of(), svg.textsOnSeries("label"));
    assertTrue(xTicks(svg).size() <= Ticks.MAX && yTicks(svg).size() <= Ticks.MAX);
    // eta 1.35 (60^0.45 = 6.3x) is the last point in view; 1.4 to 3 (33 points) fall to 0.68
    assertEquals(List.of("1x", "2x", "4x"), xTicks(svg));
    assertTrue(svg.role("label").size() >= 8, "most points still labelled: " + svg.role("label"));
    assertTrue(svg.role("note").get(0).text().startsWith("Not drawn: 33 eta scales"),
        svg.role("note").get(0).text());
  }

  @Test
  void aShortRangeGetsFinerRoundTicks() throws Exception {
    SvgTexts svg = new SvgTexts(TradeoffChart.builder(List.of(
        new TradeoffChart.Point(0, 0.99, 0.9, 0.8), new TradeoffChart.Point(1, 1.3, 0.9, 0.8)))
        .svg());
    // 0.99x to 1.3x, padded: no three octave ticks fit, so steps of 0.1
    assertEquals(List.of("1x", "1.1x", "1.2x", "1.3x"), xTicks(svg));
    assertEquals(List.of(), svg.overlappingTexts());
  }

  @Test
  void oneDegeneratePointStillDraws() throws Exception {
    SvgTexts svg = new SvgTexts(TradeoffChart.builder(List.of(
        new TradeoffChart.Point(0, 1, 1, 1))).optTargetSpeedup(2).svg());
    assertEquals(List.of(), svg.overlappingTexts());
    assertTrue(svg.texts.stream().anyMatch(t -> t.text().equals("eta 0")));
    assertTrue(svg.texts.stream().anyMatch(t -> t.text().equals("target 2x")));
  }

  @Test
  void ticksAreRound() {
    assertEquals(List.of(1.0, 2.0, 4.0, 8.0), Ticks.logSpeedup(0.95, 9));
    assertEquals(List.of(1.0, 1.25, 1.5), Ticks.logSpeedup(0.9, 1.6));
    assertEquals(List.of(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0), Ticks.logSpeedup(1, 2000));
    assertEquals(List.of(0.92, 0.94, 0.96, 0.98, 1.0), Ticks.linear(0.9286, 0.9868, 6));
    assertEquals(List.of("0.90", "0.95", "1.00"), Ticks.formatAll(List.of(0.9, 0.95, 1.0)));
    assertEquals("0.75", Ticks.format(0.75));
    assertEquals("16", Ticks.format(16));
  }

  private static List<String> xTicks(SvgTexts svg) {
    return svg.role("tick").stream().map(SvgTexts.Text::text).filter(s -> s.endsWith("x")).toList();
  }

  private static List<String> yTicks(SvgTexts svg) {
    return svg.role("tick").stream().map(SvgTexts.Text::text).filter(s -> !s.endsWith("x"))
        .toList();
  }
}
