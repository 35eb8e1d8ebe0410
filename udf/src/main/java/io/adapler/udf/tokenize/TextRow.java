package io.adapler.udf.tokenize;

/**
 * One input row: a text, or a text pair for pair tasks (premise and hypothesis, two sentences).
 *
 * @param text the first (or only) text, never null
 * @param textPair the second text, or null for single-text rows
 */
public record TextRow(String text, String textPair) {

  /**
   * Rejects a null text.
   *
   * @param text see the record component of the same name
   * @param textPair see the record component of the same name
   */
  public TextRow {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null (map null rows before scoring)");
    }
  }

  /**
   * Creates a single-text row.
   *
   * @param text the text
   * @return the row
   */
  public static TextRow of(String text) {
    return new TextRow(text, null);
  }

  /**
   * Creates a text-pair row.
   *
   * @param text the first text
   * @param textPair the second text
   * @return the row
   */
  public static TextRow pair(String text, String textPair) {
    return new TextRow(text, textPair);
  }

  /**
   * Returns whether the row has a second text.
   *
   * @return true for pairs
   */
  public boolean isPair() {
    return textPair != null;
  }
}
