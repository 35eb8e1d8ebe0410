package io.adapler.udf.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java tokenizer against the reference tokenizer's ids on every golden row. */
class BundleTokenizerTest {
  @TempDir static Path cache;
  static BundleTokenizer tokenizer;
  static ModelBundle bundle;

  @BeforeAll
  static void open() throws Exception {
    bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    tokenizer = BundleTokenizer.open(bundle.tokenizerPath(), bundle.manifest().tokenizer());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void idsTypeIdsAndTruncationEqualTheGoldensOnEveryRow() {
    List<GoldenRow> golden = TinyBundle.goldens();
    List<EncodedRow> encoded = tokenizer.encode(golden.stream().map(GoldenRow::textRow).toList());
    int truncated = 0;
    int pairs = 0;
    for (int i = 0; i < golden.size(); i++) {
      GoldenRow g = golden.get(i);
      EncodedRow e = encoded.get(i);
      String row = "golden row " + g.id() + " (" + g.text() + " | " + g.textPair() + ")";
      assertArrayEquals(g.inputIds(), e.ids(), row + ": input_ids");
      assertArrayEquals(g.tokenTypeIds(), e.typeIds(), row + ": token_type_ids");
      assertEquals(g.truncated(), e.truncated(), row + ": truncated");
      assertEquals(g.inputLength(), e.length(), row + ": input_length");
      truncated += g.truncated() ? 1 : 0;
      pairs += g.textPair() != null ? 1 : 0;
    }
    assertTrue(truncated > 0 && pairs > 0, "goldens must exercise truncation and pairs");
  }

  @Test
  void oneAtATimeEqualsBatch() {
    for (GoldenRow g : TinyBundle.goldens().subList(0, 40)) {
      assertArrayEquals(g.inputIds(), tokenizer.encode(g.textRow()).ids(), "row " + g.id());
    }
  }

  @Test
  void offsetsPointAtTheWordPieceInItsSegmentText() {
    for (GoldenRow g : TinyBundle.goldens()) {
      EncodedRow e = tokenizer.encode(g.textRow());
      TokenOffsets o = e.offsets();
      assertEquals(-1, o.segments()[0], "[CLS] is special");
      for (int i = 0; i < e.length(); i++) {
        if (o.segments()[i] < 0 || "[UNK]".equals(o.tokens()[i])) {
          continue;
        }
        String source = o.segments()[i] == 0 ? g.text() : g.textPair();
        String piece = o.tokens()[i].startsWith("##") ? o.tokens()[i].substring(2) : o.tokens()[i];
        String span = Normalizer.normalize(
                source.substring(o.starts()[i], o.ends()[i]).toLowerCase(Locale.ROOT),
                Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "");
        // A piece may cover part of a character (Hangul splits into jamo), never other text.
        assertTrue(span.contains(piece), "row " + g.id() + " token " + i + " " + piece
            + " vs '" + span + "'");
      }
    }
  }

  @Test
  void pairRowsNeedAPairBundleAndClosedTokenizerFailsLoudly() throws Exception {
    assertTrue(bundle.manifest().tokenizer().pairInputs());
    BundleTokenizer other =
        BundleTokenizer.open(bundle.tokenizerPath(), bundle.manifest().tokenizer());
    other.close();
    other.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> other.encode(TextRow.of("x")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
