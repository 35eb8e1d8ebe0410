package io.adapler.udf.tokenize;

/**
 * A tokenized row, ready for the model: ids with special tokens, token types, whether
 * truncation removed tokens, and (when the row came from text) each token's character offsets.
 *
 * <p>Arrays are shared, not copied: treat them as read-only.
 *
 * @param ids token ids, {@code [CLS]} first
 * @param typeIds token type ids (0 for the first segment, 1 for the second)
 * @param truncated whether truncation to the bundle's max length removed tokens
 * @param offsets character offsets of each token, or null when the row was given as ids
 */
public record EncodedRow(long[] ids, long[] typeIds, boolean truncated, TokenOffsets offsets) {

  /**
   * Checks that ids and type ids agree in length and are not empty.
   *
   * @param ids see the record component of the same name
   * @param typeIds see the record component of the same name
   * @param truncated see the record component of the same name
   * @param offsets see the record component of the same name
   */
  public EncodedRow {
    if (ids == null || typeIds == null) {
      throw new IllegalArgumentException("ids and typeIds must not be null");
    }
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException("ids and typeIds differ in length: expected equal, found "
          + ids.length + " and " + typeIds.length);
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException(
          "an encoded row needs at least one token ([CLS]); found none");
    }
    if (offsets != null && offsets.tokens().length != ids.length) {
      throw new IllegalArgumentException("offsets describe " + offsets.tokens().length
          + " tokens, expected " + ids.length);
    }
  }

  /**
   * Creates a row from ids only (no offsets, not truncated), for callers that tokenize
   * themselves.
   *
   * @param ids token ids, special tokens included
   * @param typeIds token type ids
   * @return the row
   */
  public static EncodedRow ofIds(long[] ids, long[] typeIds) {
    return new EncodedRow(ids, typeIds, false, null);
  }

  /**
   * Returns the number of tokens.
   *
   * @return the row's length, special tokens included
   */
  public int length() {
    return ids.length;
  }
}
