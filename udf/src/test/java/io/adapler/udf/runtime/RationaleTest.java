package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rationales: the golden kept positions mapped to word pieces and character offsets. */
class RationaleTest {
  @TempDir static Path cache;
  static ModelBundle bundle;
  static AdaplerRuntime runtime;

  @BeforeAll
  static void open() throws Exception {
    bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    runtime = AdaplerRuntime.open(bundle, RuntimeOptions.defaults());
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  private static String fold(String s) {
    return Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
  }

  @Test
  void rationaleIsTheGoldenKeptNonSpecialTokensWithTheirText() throws Exception {
    List<GoldenRow> golden = TinyBundle.goldens();
    int checkedSpans = 0;
    int keptAtScaleOne = 0;
    for (float eta : new float[] {0f, 1f, 2f}) {
      List<RowResult> results =
          runtime.score(golden.stream().map(GoldenRow::textRow).toList(), eta);
      for (int i = 0; i < golden.size(); i++) {
        GoldenRow g = golden.get(i);
        long cls = bundle.manifest().tokenizer().clsTokenId();
        long sep = bundle.manifest().tokenizer().sepTokenId();
        int[] expected = IntStream.of(g.run(eta).keptPositions())
            .filter(p -> g.inputIds()[p] != cls && g.inputIds()[p] != sep).toArray();
        List<RationaleToken> rationale = results.get(i).rationale();
        assertArrayEquals(g.run(eta).tokenLayers(), results.get(i).tokenLayers(),
            "token layers of row " + g.id() + " at eta_scale " + eta);
        assertArrayEquals(expected, rationale.stream().mapToInt(RationaleToken::position).toArray(),
            "row " + g.id() + " at eta_scale " + eta);
        keptAtScaleOne += eta == 1f ? rationale.size() : 0;
        for (RationaleToken t : rationale) {
          String source = t.segment() == 0 ? g.text() : g.textPair();
          assertTrue(t.segment() == 0 || g.textPair() != null);
          assertTrue(0 <= t.start() && t.start() < t.end() && t.end() <= source.length(),
              "row " + g.id() + " span " + t);
          String piece = t.token().startsWith("##") ? t.token().substring(2) : t.token();
          if (!piece.equals("[UNK]")) {
            // A piece may cover part of a character (Hangul splits into jamo), never other text.
            String span = fold(source.substring(t.start(), t.end()));
            assertTrue(span.contains(piece), "row " + g.id() + " " + t + " vs '" + span + "'");
            checkedSpans++;
          }
        }
      }
    }
    assertTrue(checkedSpans > 1000, "few spans checked: " + checkedSpans);
    assertTrue(keptAtScaleOne > 0, "no rationale token at eta_scale 1");
  }

  @Test
  void rationalesCanBeTurnedOffAndRowsGivenAsIdsHaveNone() throws Exception {
    GoldenRow g = TinyBundle.goldens().get(10);
    try (AdaplerRuntime off = AdaplerRuntime.open(bundle,
        RuntimeOptions.builder().optRationales(false).build())) {
      RowResult r = off.score(List.of(g.textRow()), 1f).get(0);
      assertTrue(r.rationale().isEmpty());
      assertEquals(0, r.keptPositions().length);
      assertEquals(0, r.tokenLayers().length);
      assertArrayEquals(g.run(1f).layerLengths(), r.layerLengths());
    }
    RowResult fromIds = runtime.scoreEncoded(List.of(
        io.adapler.udf.tokenize.EncodedRow.ofIds(g.inputIds(), g.tokenTypeIds())), 1f).get(0);
    assertTrue(fromIds.rationale().isEmpty());
    assertArrayEquals(g.run(1f).keptPositions(), fromIds.keptPositions());
    assertArrayEquals(g.run(1f).tokenLayers(), fromIds.tokenLayers());
  }

  @Test
  void eachCallGetsTheRationalesItAsksForWhateverTheRuntimeWasOpenedWith() throws Exception {
    GoldenRow g = TinyBundle.goldens().get(10);
    var encoded = runtime.encode(List.of(g.textRow()));
    try (AdaplerRuntime off = AdaplerRuntime.open(bundle,
        RuntimeOptions.builder().optRationales(false).build())) {
      for (AdaplerRuntime rt : List.of(runtime, off)) {
        RowResult on = rt.scoreEncoded(encoded, 1f, true).get(0);
        assertArrayEquals(g.run(1f).keptPositions(), on.keptPositions(), rt.options().toString());
        assertEquals(1, on.rationale().size()); // the [UNK] of the emoji; [CLS] is left out
        assertEquals(runtime.score(List.of(g.textRow()), 1f).get(0).rationale(), on.rationale());
        RowResult none = rt.scoreEncoded(encoded, 1f, false).get(0);
        assertTrue(none.rationale().isEmpty());
        assertEquals(0, none.keptPositions().length);
        assertEquals(0, none.tokenLayers().length);
        assertArrayEquals(g.run(1f).tokenLayers(), on.tokenLayers());
        assertArrayEquals(on.layerLengths(), none.layerLengths());
        assertArrayEquals(on.probabilities(), none.probabilities());
      }
    }
  }
}
