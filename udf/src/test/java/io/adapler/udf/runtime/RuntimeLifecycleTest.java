package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.batch.BatchingStrategy;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.TinyBundle;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument errors, empty input and use after close. */
class RuntimeLifecycleTest {
  @TempDir static Path cache;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
  }

  @Test
  void toBuilderKeepsEverySettingItDoesNotChange() {
    RuntimeOptions o = RuntimeOptions.builder().optDevice(Device.parse("cuda:1"))
        .optAllowCpuFallback(true).optThreading(new CpuThreading(3, 2, true))
        .optTokenBudget(777).optMaxBatchRows(9).optBatching(BatchingStrategy.FIXED)
        .optRationales(false).build();
    assertEquals(o, o.toBuilder().build());
    RuntimeOptions changed = o.toBuilder().optTokenBudget(100).build();
    assertEquals(new RuntimeOptions(o.device(), true, o.threading(), 100, 9,
        BatchingStrategy.FIXED, false), changed);
  }

  @Test
  void closeIsIdempotentAndLaterUseNamesTheRuntime() throws Exception {
    AdaplerRuntime rt = AdaplerRuntime.open(bundle, RuntimeOptions.defaults());
    assertEquals(1, rt.score(List.of(TextRow.of("fine"))).size());
    rt.close();
    rt.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> rt.score(List.of(TextRow.of("late"))));
    assertTrue(e.getMessage().contains("AdaplerRuntime[tiny-random@"), e.getMessage());
    assertTrue(e.getMessage().contains("on cpu] is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> rt.encode(List.of(TextRow.of("x"))));
  }

  @Test
  void badArgumentsAreIllegalArgumentExceptions() throws Exception {
    try (AdaplerRuntime rt = AdaplerRuntime.open(bundle, RuntimeOptions.defaults())) {
      List<TextRow> one = List.of(TextRow.of("x"));
      assertThrows(IllegalArgumentException.class, () -> rt.score(one, -1f));
      assertThrows(IllegalArgumentException.class, () -> rt.score(one, Float.NaN));
      assertThrows(IllegalArgumentException.class, () -> rt.score(one, Float.POSITIVE_INFINITY));
      assertThrows(IllegalArgumentException.class, () -> TextRow.of(null));
      IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class,
          () -> rt.scoreEncoded(List.of(EncodedRow.ofIds(new long[] {101, 30522, 102},
              new long[3])), 1f));
      assertTrue(vocab.getMessage().contains("expected id in [0, 30522)"), vocab.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> rt.scoreEncoded(List.of(EncodedRow.ofIds(new long[513], new long[513])), 1f));
      assertThrows(IllegalArgumentException.class,
          () -> EncodedRow.ofIds(new long[] {101}, new long[2]));
      assertThrows(IllegalArgumentException.class,
          () -> RuntimeOptions.builder().optTokenBudget(-1).build());
      // 0 (the default) leaves the budget to the runtime: by device and the bundle's length.
      assertEquals(0, RuntimeOptions.defaults().tokenBudget());
      assertEquals(1024, rt.tokenBudget()); // the tiny bundle reads 64 tokens
      assertEquals(1024, RuntimeOptions.defaultTokenBudget(Device.cpu(), 128));
      assertEquals(1024, RuntimeOptions.defaultTokenBudget(Device.cpu(), 511));
      assertEquals(512, RuntimeOptions.defaultTokenBudget(Device.cpu(), 512));
      assertEquals(8192, RuntimeOptions.defaultTokenBudget(Device.parse("cuda:0"), 512));
      assertEquals(777, RuntimeOptions.builder().optTokenBudget(777).build()
          .tokenBudgetFor(Device.cpu(), 512));
    }
  }

  @Test
  void aBundleOf512TokensGetsTheLongTextBudgetUnlessOneIsSet(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("tiny-512");
    Files.createDirectories(dir);
    for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
      Files.copy(TinyBundle.dir().resolve(f), dir.resolve(f));
    }
    String manifest = Files.readString(TinyBundle.dir().resolve("adapler.json"));
    Files.writeString(dir.resolve("adapler.json"),
        manifest.replaceFirst("\"max_length\": 64", "\"max_length\": 512"));
    ModelBundle long512 = new BundleLoader(tmp.resolve("cache")).load(dir.toString());
    assertEquals(512, long512.manifest().tokenizer().maxLength());
    try (AdaplerRuntime rt = AdaplerRuntime.open(long512, RuntimeOptions.defaults());
         AdaplerRuntime set = AdaplerRuntime.open(long512,
             RuntimeOptions.builder().optTokenBudget(2048).build())) {
      assertEquals(RuntimeOptions.LONG_TEXT_CPU_TOKEN_BUDGET, rt.tokenBudget());
      assertEquals(2048, set.tokenBudget());
      // two rows of 300 tokens: alone under 512, together under 2048; the same results
      List<EncodedRow> rows = List.of(row(300, 7), row(300, 11));
      assertEquals(3, rt.scoreEncoded(rows, 0f).get(1).layerLengths().length);
      RuntimeStats before = rt.stats();
      rt.scoreEncoded(rows, 0f);
      assertEquals(2, rt.stats().minus(before).batches());
      RuntimeStats setBefore = set.stats();
      set.scoreEncoded(rows, 0f);
      assertEquals(1, set.stats().minus(setBefore).batches());
    }
  }

  /** A row of {@code n} tokens: [CLS], word pieces from a seed, [SEP]. */
  private static EncodedRow row(int n, int seed) {
    long[] ids = new long[n];
    ids[0] = 101;
    ids[n - 1] = 102;
    for (int i = 1; i < n - 1; i++) {
      ids[i] = 1000 + (seed * 31L + i * 17L) % 20000;
    }
    return EncodedRow.ofIds(ids, new long[n]);
  }

  @Test
  void noRowsGiveNoResults() throws Exception {
    try (AdaplerRuntime rt = AdaplerRuntime.open(bundle, RuntimeOptions.defaults())) {
      assertTrue(rt.score(List.of(), 1f).isEmpty());
      assertTrue(rt.scoreEncoded(List.of(), 1f).isEmpty());
    }
  }

  @Test
  void rowResultsCarryFlopsOfTheBundleGeometry() throws Exception {
    try (AdaplerRuntime rt = AdaplerRuntime.open(bundle, RuntimeOptions.defaults())) {
      RowResult full = rt.score(List.of(TextRow.of("a longer sentence to keep")), 0f).get(0);
      // eta_scale 0 keeps every token: AdapLeR costs the full model plus the predictors.
      assertTrue(full.flopsSpeedup() < 1.0 && full.flopsSpeedup() > 0.8, "" + full.flopsSpeedup());
      assertEquals(rt.flops().fullFlops(full.inputLength()), full.fullFlops(), 0.0);
      assertEquals(rt.flops().adaptiveFlops(full.layerLengths()), full.adaptiveFlops(), 0.0);
    }
  }
}
