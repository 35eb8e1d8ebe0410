package io.adapler.udf.spark;

/** What happened to one input row; every input row gets exactly one. */
public enum RowStatus {
  /** Scored; the {@code truncated} column says whether the input was cut to the max length. */
  OK,
  /** The text (or a pair's text) has no tokens: empty, whitespace or control characters only. */
  EMPTY,
  /** The text (or a pair's text) is null. */
  NULL,
  /** Not scored; the {@code error} column says why. Other rows are unaffected. */
  ERROR
}
