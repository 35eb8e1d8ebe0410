package io.adapler.udf.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.util.PairList;
import io.adapler.udf.bundle.TokenizerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bundle's Hugging Face tokenizer with the manifest's rules: special tokens added, truncation
 * to {@code max_length} ({@code longest_first} for pairs, right truncation for single texts), no
 * padding (the runtime pads per batch).
 *
 * <p>Long single texts are tokenized from a prefix when that gives the same result as the whole
 * text (see {@link PrefixCut}): only the first {@code max_length} tokens survive truncation.
 *
 * <p>Thread-safe: encoding does not change the tokenizer. {@link #close()} frees the native
 * tokenizer and is idempotent.
 */
public final class BundleTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final TokenizerSettings settings;
  private final Path path;
  private final PrefixCut prefix;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BundleTokenizer(
      HuggingFaceTokenizer tokenizer, TokenizerSettings settings, Path path, PrefixCut prefix) {
    this.tokenizer = tokenizer;
    this.settings = settings;
    this.path = path;
    this.prefix = prefix;
  }

  /**
   * Opens a tokenizer file with a bundle's settings.
   *
   * @param tokenizerJson the Hugging Face {@code tokenizer.json}
   * @param settings the manifest's tokenizer section
   * @return the tokenizer
   * @throws IOException when the file cannot be read or parsed
   */
  public static BundleTokenizer open(Path tokenizerJson, TokenizerSettings settings)
      throws IOException {
    return open(tokenizerJson, settings, true);
  }

  /** Opens a tokenizer; {@code prefixes} false always encodes whole texts (tests compare both). */
  static BundleTokenizer open(Path tokenizerJson, TokenizerSettings settings, boolean prefixes)
      throws IOException {
    if (!"longest_first".equals(settings.truncation())) {
      throw new IllegalArgumentException("unsupported tokenizer.truncation '"
          + settings.truncation() + "': this runtime implements 'longest_first'");
    }
    HuggingFaceTokenizer tok =
        HuggingFaceTokenizer.builder(
                Map.of("modelMaxLength", String.valueOf(settings.maxLength())))
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(true)
            .optTruncation(true)
            .optMaxLength(settings.maxLength())
            .optPadding(false)
            .optWithOverflowingTokens(false)
            .build();
    PrefixCut cut = prefixes
        ? PrefixCut.forTokenizer(tokenizerJson, settings.maxLength())
        : PrefixCut.off();
    return new BundleTokenizer(tok, settings, tokenizerJson, cut);
  }

  /**
   * Encodes a batch of rows in one native call per kind (single texts, pairs), plus one for the
   * long single texts whose prefix turned out too short to fill {@code max_length}.
   *
   * @param rows the rows; pairs only when the bundle's {@code pair_inputs} is true
   * @return one encoded row per input row, in the same order
   */
  public List<EncodedRow> encode(List<TextRow> rows) {
    checkOpen();
    List<String> singles = new ArrayList<>();
    PairList<String, String> pairs = new PairList<>();
    for (TextRow row : rows) {
      if (row.isPair()) {
        if (!settings.pairInputs()) {
          throw new IllegalArgumentException("row has a text pair but the bundle's tokenizer"
              + " settings say pair_inputs=false; pass single texts to this bundle");
        }
        pairs.add(row.text(), row.textPair());
      } else {
        singles.add(row.text());
      }
    }
    String[] encoded = new String[singles.size()];
    Encoding[] single = encodeSingles(singles, encoded);
    Encoding[] pair = pairs.isEmpty() ? new Encoding[0] : tokenizer.batchEncode(pairs);
    List<EncodedRow> out = new ArrayList<>(rows.size());
    int s = 0;
    int p = 0;
    for (TextRow row : rows) {
      out.add(row.isPair() ? toRow(pair[p++], row.text(), row.textPair())
          : toRow(single[s], encoded[s++], null));
    }
    return out;
  }

  /**
   * Encodes single texts, each from its prefix where {@link PrefixCut} allows one; a prefix
   * encoding stands only when it overflowed {@code max_length} (then the whole text's truncated
   * encoding is the same). The others are encoded again from the whole text.
   *
   * @param texts the texts
   * @param encoded filled with the string each result was encoded from (prefix or whole text)
   * @return one encoding per text, equal to the whole text's
   */
  private Encoding[] encodeSingles(List<String> texts, String[] encoded) {
    if (texts.isEmpty()) {
      return new Encoding[0];
    }
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = prefix.cut(texts.get(i));
    }
    Encoding[] result = tokenizer.batchEncode(encoded);
    List<Integer> redo = new ArrayList<>();
    for (int i = 0; i < encoded.length; i++) {
      // cut() hands back the very same String when it did not cut.
      if (encoded[i] != texts.get(i) && !result[i].exceedMaxLength()) {
        redo.add(i);
      }
    }
    if (!redo.isEmpty()) {
      String[] whole = redo.stream().map(texts::get).toArray(String[]::new);
      Encoding[] again = tokenizer.batchEncode(whole);
      for (int k = 0; k < whole.length; k++) {
        result[redo.get(k)] = again[k];
        encoded[redo.get(k)] = whole[k];
      }
    }
    return result;
  }

  /**
   * Encodes one row.
   *
   * @param row the row
   * @return the encoded row
   */
  public EncodedRow encode(TextRow row) {
    return encode(List.of(row)).get(0);
  }

  /**
   * Returns the settings this tokenizer applies.
   *
   * @return the manifest's tokenizer section
   */
  public TokenizerSettings settings() {
    return settings;
  }

  /** Converts an encoding of {@code text} (and {@code textPair}, null for singles) to a row. */
  private static EncodedRow toRow(Encoding e, String text, String textPair) {
    long[] ids = e.getIds();
    int n = ids.length;
    long[] special = e.getSpecialTokenMask();
    long[] sequence = e.getSequenceIds();
    CharSpan[] spans = e.getCharTokenSpans();
    int[] segments = new int[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    // Offsets of a prefix encoding lie within the prefix, so its index is enough.
    int[][] utf16 = {utf16Index(text), utf16Index(textPair)};
    for (int i = 0; i < n; i++) {
      boolean isSpecial = special[i] != 0 || spans[i] == null;
      int segment = isSpecial ? -1 : (int) sequence[i];
      segments[i] = segment;
      // The native tokenizer counts code points; Java strings index UTF-16 units.
      int[] index = segment < 0 ? null : utf16[segment];
      starts[i] = isSpecial ? -1 : at(index, spans[i].getStart());
      ends[i] = isSpecial ? -1 : at(index, spans[i].getEnd());
    }
    TokenOffsets offsets = new TokenOffsets(e.getTokens(), segments, starts, ends);
    return new EncodedRow(ids, e.getTypeIds(), e.exceedMaxLength(), offsets);
  }

  /** Maps code point offsets to UTF-16 offsets; null when they coincide (no surrogates). */
  private static int[] utf16Index(String text) {
    if (text == null || text.codePointCount(0, text.length()) == text.length()) {
      return null;
    }
    int[] index = new int[text.codePointCount(0, text.length()) + 1];
    int unit = 0;
    for (int cp = 0; cp < index.length - 1; cp++) {
      index[cp] = unit;
      unit += Character.charCount(text.codePointAt(unit));
    }
    index[index.length - 1] = unit;
    return index;
  }

  private static int at(int[] index, int codePoint) {
    return index == null ? codePoint : index[Math.min(codePoint, index.length - 1)];
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("BundleTokenizer(" + path + ") is closed");
    }
  }

  /** Frees the native tokenizer; later calls to {@code encode} fail. Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tokenizer.close();
    }
  }
}
