package io.adapler.udf.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.bundle.TokenizerSettings;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prefix tokenization against a real whole-text encode (a second tokenizer opened with prefixes
 * off): every row must come out identical, ids, type ids, truncation and offsets alike.
 */
class TokenizePrefixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLES = TinyBundle.dir().getParent().getParent();
  private static final Path SPAM = SAMPLES.resolve("models/spam-minilm");
  private static final Path TOKENIZER = SPAM.resolve("tokenizer.json");
  /** Small enough that hand-made texts cross the budget (16 * 8 = 128 chars). */
  private static final int SMALL = 16;

  @TempDir Path tmp;

  @ParameterizedTest(name = "max_length {0}")
  @ValueSource(ints = {0, 32}) // 0: the bundle's own max_length (128)
  void everySampleMailEncodesAsItsWholeText(int maxLength) throws Exception {
    TokenizerSettings settings = settings(maxLength);
    List<String> mails = new ArrayList<>();
    for (String line : Files.readAllLines(SAMPLES.resolve("data/spam-assassin-sample.jsonl"))) {
      if (!line.isBlank()) {
        mails.add(JSON.readTree(line).get("text").asText());
      }
    }
    List<TextRow> rows = mails.stream().map(TextRow::of).toList();
    try (BundleTokenizer prefixed = BundleTokenizer.open(TOKENIZER, settings);
        BundleTokenizer whole = BundleTokenizer.open(TOKENIZER, settings, false)) {
      List<EncodedRow> got = prefixed.encode(rows);
      List<EncodedRow> want = whole.encode(rows);
      PrefixCut cut = PrefixCut.forTokenizer(TOKENIZER, settings.maxLength());
      int cutRows = 0;
      int prefixPath = 0;
      for (int i = 0; i < rows.size(); i++) {
        assertSameRow(want.get(i), got.get(i), "mail " + i);
        String prefix = cut.cut(mails.get(i));
        if (prefix != mails.get(i)) {
          cutRows++;
          prefixPath += whole.encode(TextRow.of(prefix)).truncated() ? 1 : 0;
        }
      }
      System.out.printf("TokenizePrefixTest: max_length %d, %d mails, %d cut, %d took the prefix"
          + " path%n", settings.maxLength(), rows.size(), cutRows, prefixPath);
      // The budget should be ample for mails: nearly every cut prefix overflows on its own.
      assertTrue(cutRows > rows.size() / 4 && prefixPath >= cutRows * 9 / 10, cutRows
          + " mails cut, " + prefixPath + " took the prefix path, of " + rows.size());
    }
  }

  @Test
  void handMadeEdgeCasesEncodeAsTheWholeTextInOneBatch() throws Exception {
    PrefixCut cut = PrefixCut.forTokenizer(TOKENIZER, SMALL);
    int budget = cut.budget();
    assertEquals(SMALL * PrefixCut.CHARS_PER_TOKEN, budget);
    String words = "the quick brown fox jumps over the lazy dog ".repeat(20);
    String base64 = "QUJDRGVmZ2hpams0NTY3ODkr/=".repeat(200);
    List<String> texts = new ArrayList<>();
    try (BundleTokenizer whole = BundleTokenizer.open(TOKENIZER, settings(SMALL), false)) {
      Consumer<String> prefixPath = t -> {
        assertNotSame(t, cut.cut(t), "expected a cut");
        assertTrue(whole.encode(TextRow.of(cut.cut(t))).truncated(), "expected the prefix path");
        texts.add(t);
      };
      Consumer<String> wholePath = t -> {
        String prefix = cut.cut(t);
        assertTrue(prefix == t || !whole.encode(TextRow.of(prefix)).truncated(), "whole path");
        texts.add(t);
      };
      wholePath.accept("short text, shorter than the budget");
      wholePath.accept("");
      wholePath.accept(base64);
      wholePath.accept("Attachment: " + base64 + " " + words);
      prefixPath.accept(words + base64);
      // Whitespace exactly at the budget: the cut keeps all budget chars before it.
      String atBudget = "x".repeat((budget - 2) % 3) + "go ".repeat(budget);
      assertEquals(' ', atBudget.charAt(budget));
      assertEquals(budget, cut.cut(atBudget).length());
      prefixPath.accept(atBudget);
      // A word across the budget: the cut falls back to the space before it.
      String across = words.substring(0, budget - 3) + " " + "y".repeat(20) + " " + words;
      assertEquals(budget - 3, cut.cut(across).length());
      prefixPath.accept(across);
      // A special character inside a word near the budget, with that word about where
      // truncation falls: a cut inside "jumps" ("jum" is two pieces) would change kept tokens.
      for (String near : List.of("", "\uD83D\uDE00", "\uD83D\uDE00\uD83D\uDE03", "\u4E2D\u6587",
          "\u00E9", "e\u0301\u0327", "\u0301", "\u00C5", "\u001C", "\u001F", "\u000B", "\u000C",
          "\u0000", "\u0085", "\u00A0", "\u200B", "\u2028", "\u3000", "\u00AD", "\uFFFD")) {
        for (int n = 12; n <= 15; n++) {
          for (int at = budget - 6; at <= budget + 1; at++) {
            String head = "go ".repeat(n - 1) + " ".repeat(at - 3 - 3 * (n - 1)) + "jum";
            texts.add(head + near + "ps" + " go".repeat(30));
          }
        }
      }
      // An unpaired surrogate after the cut: the native side decodes the whole string lossily
      // (the emoji before it changes), so such texts must not be cut.
      String lone = "\uD83D\uDE00 " + words + "\uD800 tail";
      assertSame(lone, cut.cut(lone));
      texts.add(lone);
      texts.add(words.substring(0, budget + 1) + "\uDE00 " + words);
      // Exactly max_length - 2 pieces in the prefix: not truncated there, so the whole text
      // decides (and is truncated); one piece more and the prefix stands.
      String pad = " ".repeat(budget);
      String exact = "a ".repeat(SMALL - 2) + pad + words;
      assertEquals(SMALL, whole.encode(TextRow.of(cut.cut(exact))).length());
      wholePath.accept(exact);
      assertTrue(whole.encode(TextRow.of(exact)).truncated());
      prefixPath.accept("a ".repeat(SMALL - 1) + pad + words);
      texts.add("\n".repeat(budget * 2) + words);

      try (BundleTokenizer prefixed = BundleTokenizer.open(TOKENIZER, settings(SMALL))) {
        List<TextRow> rows = texts.stream().map(TextRow::of).toList();
        List<EncodedRow> want = whole.encode(rows);
        List<EncodedRow> got = prefixed.encode(rows);
        for (int i = 0; i < rows.size(); i++) {
          assertSameRow(want.get(i), got.get(i), "case " + i + " " + texts.get(i));
          assertSameRow(want.get(i), prefixed.encode(rows.get(i)), "case " + i + " alone");
          assertOffsetsIndexTheText(got.get(i), texts.get(i));
        }
      }
    }
  }

  @Test
  void pairsAndSinglesMixInOneBatch() throws Exception {
    Path tiny = TinyBundle.dir();
    TokenizerSettings settings = settings(tiny, 0);
    String words = "the quick brown fox jumps over the lazy dog ".repeat(40);
    List<TextRow> rows = new ArrayList<>();
    for (GoldenRow g : TinyBundle.goldens()) {
      rows.add(g.textRow());
      rows.add(TextRow.of(g.text() + " " + words));
      rows.add(TextRow.pair(words, g.text()));
    }
    Path file = tiny.resolve(settings.file());
    try (BundleTokenizer prefixed = BundleTokenizer.open(file, settings);
        BundleTokenizer whole = BundleTokenizer.open(file, settings, false)) {
      List<EncodedRow> want = whole.encode(rows);
      List<EncodedRow> got = prefixed.encode(rows);
      for (int i = 0; i < rows.size(); i++) {
        assertSameRow(want.get(i), got.get(i), "row " + i);
      }
    }
  }

  @Test
  void onlyBertStyleTokenizersAreCut() throws Exception {
    JsonNode bert = JSON.readTree(TOKENIZER.toFile());
    assertTrue(PrefixCut.isExact(bert));
    assertTrue(PrefixCut.isExact(edit(bert, t -> t.putObject("pre_tokenizer")
        .put("type", "WhitespaceSplit"))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> t.putObject("normalizer").put("type", "NFKC"))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> t.putNull("normalizer"))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> ((ObjectNode) t.get("model"))
        .put("type", "BPE"))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> t.putObject("truncation")
        .put("direction", "Left").put("max_length", 8).put("strategy", "LongestFirst")
        .put("stride", 0))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> ((ObjectNode) t.get("added_tokens").get(0))
        .put("lstrip", true))));
    assertFalse(PrefixCut.isExact(edit(bert, t -> ((ObjectNode) t.get("added_tokens").get(0))
        .put("content", "[P AD]"))));

    // Metaspace splits differently (and keeps the space in the token): the whole text is encoded.
    JsonNode metaspace = edit(bert, t -> t.putObject("pre_tokenizer").put("type", "Metaspace")
        .put("replacement", "\u2581").put("prepend_scheme", "always").put("split", true));
    Path file = tmp.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), metaspace);
    assertEquals(0, PrefixCut.forTokenizer(file, SMALL).budget());
    String words = "the quick brown fox jumps over the lazy dog ".repeat(20);
    List<TextRow> rows = List.of(TextRow.of(words), TextRow.of("short"));
    try (BundleTokenizer prefixed = BundleTokenizer.open(file, settings(SMALL));
        BundleTokenizer whole = BundleTokenizer.open(file, settings(SMALL), false)) {
      List<EncodedRow> want = whole.encode(rows);
      List<EncodedRow> got = prefixed.encode(rows);
      for (int i = 0; i < rows.size(); i++) {
        assertSameRow(want.get(i), got.get(i), "metaspace row " + i);
      }
    }
  }

  /** The spam model's tokenizer settings, with {@code maxLength} when positive. */
  private static TokenizerSettings settings(int maxLength) throws Exception {
    return settings(SPAM, maxLength);
  }

  private static TokenizerSettings settings(Path bundle, int maxLength) throws Exception {
    JsonNode t = JSON.readTree(bundle.resolve("adapler.json").toFile()).get("tokenizer");
    return new TokenizerSettings(t.get("file").asText(),
        maxLength > 0 ? maxLength : t.get("max_length").asInt(), t.get("truncation").asText(),
        t.get("lower_case").asBoolean(), t.get("pair_inputs").asBoolean(),
        t.get("cls_token_id").asLong(), t.get("sep_token_id").asLong(),
        t.get("pad_token_id").asLong());
  }

  private static JsonNode edit(JsonNode tokenizer, Consumer<ObjectNode> change) {
    ObjectNode copy = tokenizer.deepCopy();
    change.accept(copy);
    return copy;
  }

  private static void assertSameRow(EncodedRow want, EncodedRow got, String what) {
    assertArrayEquals(want.ids(), got.ids(), what + ": ids");
    assertArrayEquals(want.typeIds(), got.typeIds(), what + ": type ids");
    assertEquals(want.truncated(), got.truncated(), what + ": truncated");
    TokenOffsets w = want.offsets();
    TokenOffsets g = got.offsets();
    assertArrayEquals(w.tokens(), g.tokens(), what + ": tokens");
    assertArrayEquals(w.segments(), g.segments(), what + ": segments");
    assertArrayEquals(w.starts(), g.starts(), what + ": starts");
    assertArrayEquals(w.ends(), g.ends(), what + ": ends");
  }

  private static void assertOffsetsIndexTheText(EncodedRow row, String text) {
    TokenOffsets o = row.offsets();
    for (int i = 0; i < row.length(); i++) {
      if (o.segments()[i] >= 0) {
        assertTrue(0 <= o.starts()[i] && o.starts()[i] <= o.ends()[i]
            && o.ends()[i] <= text.length(), "token " + i + " span in the text");
      }
    }
  }
}
