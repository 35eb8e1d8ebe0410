package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.batch.BatchingStrategy;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import io.adapler.udf.tokenize.EncodedRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's stage counters against the PyTorch goldens: with fixed batches of 10 in input
 * order, real and computed tokens per layer (and their FLOPs) follow from the reference layer
 * lengths alone.
 */
class RuntimeStatsTest {
  private static final int BATCH = 10;
  private static final float ETA = 1f;

  @TempDir static Path cache;
  static AdaplerRuntime runtime;
  static FlopsModel flops;

  @BeforeAll
  static void open() throws Exception {
    ModelBundle bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    runtime = AdaplerRuntime.open(bundle, RuntimeOptions.builder()
        .optBatching(BatchingStrategy.FIXED).optMaxBatchRows(BATCH).build());
    flops = FlopsModel.of(bundle.manifest().geometry());
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  @Test
  void countsRealAndComputedTokensPerLayerAsTheReferenceImplies() throws Exception {
    List<GoldenRow> golden = TinyBundle.goldens();
    int layers = flops.layers();
    long[] real = new long[layers];
    long[] computed = new long[layers];
    double useful = 0;
    double padded = 0;
    for (int start = 0; start < golden.size(); start += BATCH) {
      List<GoldenRow> batch = golden.subList(start, Math.min(golden.size(), start + BATCH));
      int[] width = new int[layers];
      for (GoldenRow g : batch) {
        int[] lengths = g.run(ETA).layerLengths();
        useful += flops.adaptiveFlops(lengths);
        for (int l = 0; l < layers; l++) {
          real[l] += lengths[l];
          width[l] = Math.max(width[l], lengths[l]);
        }
      }
      for (int l = 0; l < layers; l++) {
        computed[l] += (long) width[l] * batch.size();
      }
      padded += batch.size() * flops.adaptiveFlops(width);
    }

    RuntimeStats before = runtime.stats();
    runtime.score(golden.stream().map(GoldenRow::textRow).toList(), ETA);
    RuntimeStats s = runtime.stats().minus(before);

    assertEquals(golden.size(), s.rows());
    assertEquals((golden.size() + BATCH - 1) / BATCH, s.batches());
    assertArrayEquals(real, s.realTokens());
    assertArrayEquals(computed, s.computedTokens());
    assertEquals(useful, s.usefulFlops(), useful * 1e-9);
    assertEquals(padded, s.computedFlops(), padded * 1e-9);
    for (int l = 0; l < layers; l++) {
      assertEquals(1 - real[l] / (double) computed[l], s.paddingFraction(l), 1e-12);
      assertTrue(s.paddingFraction(l) > 0, "mixed lengths in input order pad every layer");
    }
    assertTrue(s.tokenizeNanos() > 0 && s.prepareNanos() > 0 && s.sessionNanos() > 0
        && s.outputNanos() > 0, s.toString());
    assertEquals(s.tokenizeNanos() + s.prepareNanos() + s.sessionNanos() + s.outputNanos(),
        s.totalNanos());
  }

  @Test
  void scoringIdsSpendsNoTokenizerTimeAndSnapshotsSubtract() throws Exception {
    List<GoldenRow> golden = TinyBundle.goldens().subList(0, 25);
    List<EncodedRow> encoded = runtime.encode(golden.stream().map(GoldenRow::textRow).toList());
    RuntimeStats before = runtime.stats();
    runtime.scoreEncoded(encoded, ETA);
    RuntimeStats once = runtime.stats().minus(before);
    runtime.scoreEncoded(encoded, ETA);
    RuntimeStats twice = runtime.stats().minus(before);

    assertEquals(0, once.tokenizeNanos());
    assertEquals(25, once.rows());
    assertEquals(3, once.batches());
    assertEquals(50, twice.rows());
    assertEquals(twice.batches(), once.plus(once).batches());
    assertArrayEquals(twice.computedTokens(), once.plus(once).computedTokens());
    for (int l = 0; l < flops.layers(); l++) {
      assertEquals(2 * once.realTokens()[l], twice.realTokens()[l]);
      assertEquals(2 * once.computedTokens()[l], twice.computedTokens()[l]);
    }
  }
}
