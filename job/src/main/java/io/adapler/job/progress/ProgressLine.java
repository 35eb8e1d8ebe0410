package io.adapler.job.progress;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One progress line and its arithmetic: rows scored of the rows to score, the rate over the
 * last interval (not since the start, which falls while the input is still being read and
 * shuffled) and the ETA from that rate and the rows left. Plain values, so the numbers can be
 * checked by hand.
 *
 * @param scored rows scored so far, including rows of parts committed by an earlier run
 * @param total rows to score, or -1 while not yet counted
 * @param intervalRows rows scored in the last interval
 * @param intervalSeconds the length of the last interval
 * @param tasksDone tasks finished of the current scoring stage
 * @param tasksTotal tasks of the current scoring stage, or 0 while no scoring task reported
 */
record ProgressLine(long scored, long total, long intervalRows, double intervalSeconds,
    int tasksDone, int tasksTotal) {

  /** Rows per second over the last interval. */
  double rate() {
    return intervalSeconds > 0 ? intervalRows / intervalSeconds : 0;
  }

  /** Seconds left at the last interval's rate; empty while the total or the rate is unknown. */
  OptionalDouble etaSeconds() {
    if (total < 0) {
      return OptionalDouble.empty();
    }
    long left = Math.max(total - scored, 0);
    if (left == 0) {
      return OptionalDouble.of(0);
    }
    return rate() > 0 ? OptionalDouble.of(left / rate()) : OptionalDouble.empty();
  }

  /** The line as printed, e.g. "611 of 1,222 rows scored, 61.1 rows/s ..., ETA 10 s". */
  String text() {
    String rows = total >= 0 ? String.format(Locale.ROOT, "%,d of %,d rows scored", scored, total)
        : String.format(Locale.ROOT, "%,d rows scored (total not counted yet)", scored);
    String tasks = tasksTotal > 0 ? tasksDone + "/" + tasksTotal : "- (none reported yet)";
    OptionalDouble eta = etaSeconds();
    return String.format(Locale.ROOT, "[adapler] %s, %,.1f rows/s over the last %s, "
        + "scoring tasks %s, ETA %s", rows, rate(), duration(intervalSeconds), tasks,
        eta.isPresent() ? duration(eta.getAsDouble()) : "unknown");
  }

  /** The last line, printed when the run's scoring is over; the rate here is the average. */
  static String finalText(long scored, long total, double seconds) {
    String rows = total >= 0 ? String.format(Locale.ROOT, "%,d of %,d rows", scored, total)
        : String.format(Locale.ROOT, "%,d rows", scored);
    return String.format(Locale.ROOT, "[adapler] scored %s in %s (%,.1f rows/s on average)",
        rows, duration(seconds), seconds > 0 ? scored / seconds : 0);
  }

  /** Whole seconds below a minute, then minutes and seconds, then hours and minutes. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }
}
