package io.adapler.udf.tokenize;

/**
 * Where each token of an encoded row came from: its word piece and its character span in the
 * text of its segment, as Java {@code String} indices (UTF-16 units), so that {@code
 * text.substring(starts[i], ends[i])} is the token's text. Special tokens ({@code [CLS]}, {@code [SEP]}) have segment -1 and span
 * {@code [-1, -1)}.
 *
 * @param tokens the word pieces, one per token
 * @param segments 0 when the token comes from the text, 1 from the text pair, -1 when special
 * @param starts start character offsets (inclusive) in the token's segment text
 * @param ends end character offsets (exclusive) in the token's segment text
 */
public record TokenOffsets(String[] tokens, int[] segments, int[] starts, int[] ends) {

  /**
   * Checks that all arrays describe the same number of tokens.
   *
   * @param tokens see the record component of the same name
   * @param segments see the record component of the same name
   * @param starts see the record component of the same name
   * @param ends see the record component of the same name
   */
  public TokenOffsets {
    int n = tokens.length;
    if (segments.length != n || starts.length != n || ends.length != n) {
      throw new IllegalArgumentException("token offsets arrays differ in length: tokens " + n
          + ", segments " + segments.length + ", starts " + starts.length + ", ends "
          + ends.length);
    }
  }
}
