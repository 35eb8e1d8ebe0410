package io.adapler.job.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The progress line's arithmetic, with numbers worked out by hand. */
class ProgressLineTest {
  @Test
  void theRateIsOverTheLastIntervalAndTheEtaFromItAndTheRowsLeft() {
    // 611 of 1,222 scored; 200 of them in the last 10 s: 20 rows/s, 611 left, 30.55 s.
    ProgressLine line = new ProgressLine(611, 1222, 200, 10.0, 3, 8);
    assertEquals(20.0, line.rate(), 1e-9);
    assertEquals(30.55, line.etaSeconds().getAsDouble(), 1e-9);
    assertEquals("[adapler] 611 of 1,222 rows scored, 20.0 rows/s over the last 10 s, "
        + "scoring tasks 3/8, ETA 31 s", line.text());
  }

  @Test
  void aSlowStartDoesNotSlowTheRate() {
    // Nothing scored for the first 50 s, then 1,000 rows in 5 s: the rate is 200/s, not 20/s.
    ProgressLine line = new ProgressLine(1000, 3000, 1000, 5.0, 2, 4);
    assertEquals(200.0, line.rate(), 1e-9);
    assertEquals(10.0, line.etaSeconds().getAsDouble(), 1e-9);
  }

  @Test
  void theEtaIsUnknownUntilTheTotalIsCountedOrWhileNothingIsScored() {
    ProgressLine uncounted = new ProgressLine(120, -1, 120, 2.0, 0, 0);
    assertTrue(uncounted.etaSeconds().isEmpty());
    assertEquals("[adapler] 120 rows scored (total not counted yet), 60.0 rows/s over the last "
        + "2 s, scoring tasks - (none reported yet), ETA unknown", uncounted.text());
    assertTrue(new ProgressLine(120, 500, 0, 2.0, 1, 4).etaSeconds().isEmpty());
    assertEquals(0.0, new ProgressLine(500, 500, 0, 2.0, 4, 4).etaSeconds().getAsDouble());
  }

  @Test
  void longDurationsReadAsMinutesAndHours() {
    assertEquals("59 s", ProgressLine.duration(59.4));
    assertEquals("2 min 5 s", ProgressLine.duration(125));
    assertEquals("3 h 12 min", ProgressLine.duration(3 * 3600 + 12 * 60 + 40));
    // 90,000 rows left at 12.5 rows/s: 7,200 s.
    assertEquals("2 h 0 min", ProgressLine.duration(
        new ProgressLine(10_000, 100_000, 125, 10.0, 1, 9).etaSeconds().getAsDouble()));
  }

  @Test
  void theLastLineGivesTheAverageRate() {
    assertEquals("[adapler] scored 1,222 of 1,222 rows in 20 s (61.1 rows/s on average)",
        ProgressLine.finalText(1222, 1222, 20.0));
    assertEquals("[adapler] scored 7 rows in 2 s (3.5 rows/s on average)",
        ProgressLine.finalText(7, -1, 2.0));
  }
}
