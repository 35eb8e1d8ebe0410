package io.adapler.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts and exit codes of rows in against rows out, on counts worked by hand. */
class ReconciliationTest {

  @Test
  void equalCountsReconcile() {
    Reconciliation r = Reconciliation.of(1_000, 250, 1_000, 1_000, 9, 0.01);
    assertEquals("OK", r.verdict());
    assertEquals(0, r.exitCode());
    assertEquals(List.of(), r.problems());
    assertEquals(0.009, r.errorRate(), 1e-12); // 9 / 1,000
  }

  @Test
  void aRowLostBetweenReadAndWriteFailsWithItsOwnCode() {
    Reconciliation r = Reconciliation.of(1_000, 0, 999, 999, 0, null);
    assertEquals("ROWS_DIFFER", r.verdict());
    assertEquals(5, r.exitCode());
    assertEquals(List.of("1,000 rows were read to score but 999 written"), r.problems());
  }

  @Test
  void anOutputThatGainedOtherRowsThanWrittenFails() {
    // 1,000 written, but the table holds 2,000 more than before: a write counted twice
    Reconciliation r = Reconciliation.of(1_000, 0, 1_000, 2_000, 0, null);
    assertEquals(5, r.exitCode());
    assertEquals(List.of("1,000 rows were written but the output gained 2,000"), r.problems());
    // an output that cannot be counted apart from other writers' rows is not held against it
    assertEquals(0, Reconciliation.of(1_000, 0, 1_000, -1, 0, null).exitCode());
  }

  @Test
  void errorsAboveTheLimitFailWithTheirOwnCodeAndAtTheLimitDoNot() {
    Reconciliation over = Reconciliation.of(200, 0, 200, 200, 3, 0.01); // 0.015 > 0.01
    assertEquals("TOO_MANY_ERRORS", over.verdict());
    assertEquals(6, over.exitCode());
    assertTrue(over.problems().get(0).startsWith("3 of 200 rows are ERROR (0.0150)"),
        over.problems().toString());
    assertEquals(0, Reconciliation.of(200, 0, 200, 200, 2, 0.01).exitCode()); // 0.01, not above
    assertEquals(0, Reconciliation.of(200, 0, 200, 200, 200, null).exitCode()); // no limit
    assertEquals(0, Reconciliation.of(0, 50, 0, 0, 0, 0.0).exitCode()); // nothing written
  }
}
