package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.adapler.udf.runtime.RowResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agreement line's counts, on rows whose figures are known by construction. */
class FormatAgreementTest {
  private static RowResult row(String label, int[] lengths, double adaptiveFlops) {
    return new RowResult(label.equals("ham") ? 0 : 1, label, new float[] {0.5f, 0.5f},
        new float[] {0f, 0f}, 10, lengths, false, 100.0, adaptiveFlops, null, null, null);
  }

  @Test
  void countsAccuracyEqualLengthsAndLabels() {
    List<String> gold = List.of("ham", "spam", "spam", "ham");
    // reference: 3 of 4 right; other: 2 of 4 right, one row's label and two rows' lengths differ
    List<RowResult> ref = List.of(row("ham", new int[] {5, 3}, 25), row("spam", new int[] {6, 2},
        25), row("spam", new int[] {4, 4}, 25), row("spam", new int[] {7, 1}, 25));
    List<RowResult> other = List.of(row("ham", new int[] {5, 3}, 50), row("spam", new int[] {6, 3},
        50), row("ham", new int[] {4, 4}, 50), row("spam", new int[] {7, 2}, 50));
    assertEquals("eta_scale 1.00: accuracy 0.7500 (reference) 0.5000 (other); layer lengths all"
        + " equal on 2/4 rows (50.0%); labels equal on 3/4; FLOPs speedup 4.00x / 2.00x",
        FormatAgreement.line(1f, 4, gold, ref, other));
  }
}
