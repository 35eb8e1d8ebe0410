package io.adapler.udf.runtime;

/**
 * One word piece that reached the last layer: the row's rationale, as the Contribution
 * Predictors saw it.
 *
 * @param position the token's position in the row's tokens ({@code [CLS]} is 0)
 * @param token the word piece
 * @param segment 0 when it comes from the text, 1 from the text pair
 * @param start start offset (inclusive) in its segment's text, a Java {@code String} index
 *     (UTF-16 unit): {@code text.substring(start, end)} is the piece's text
 * @param end end offset (exclusive) in its segment's text, a Java {@code String} index
 */
public record RationaleToken(int position, String token, int segment, int start, int end) {}
