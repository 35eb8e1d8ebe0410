package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import io.adapler.udf.tokenize.EncodedRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java runtime against the PyTorch one-row reference loop on every golden row: exact layer
 * lengths and kept positions, logits within 1e-4, at eta scales 0, 1 and 2, at batch sizes 1,
 * 7 and 32, with a 200-token budget and in fixed unsorted batches of 10, in file order and
 * shuffled, from texts (through the Java tokenizer) and from the golden ids.
 */
class RuntimeParityTest {
  private static final float LOGIT_TOLERANCE = 1e-4f;

  @TempDir static Path cache;
  static final List<AdaplerRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void open() throws Exception {
    ModelBundle bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    runtimes.addAll(BatchingVariants.open(bundle, 1, 7, 32));
  }

  @AfterAll
  static void close() {
    runtimes.forEach(AdaplerRuntime::close);
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (float eta : new float[] {0f, 1f, 2f}) {
      for (int r = 0; r < 5; r++) {
        for (boolean shuffled : new boolean[] {false, true}) {
          for (boolean fromText : new boolean[] {true, false}) {
            out.add(Arguments.of(eta, r, shuffled, fromText));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "eta_scale {0}, runtime {1}, shuffled {2}, from text {3}")
  @MethodSource("cases")
  void everyGoldenRowMatchesTheReference(float eta, int runtime, boolean shuffled,
      boolean fromText) throws Exception {
    AdaplerRuntime rt = runtimes.get(runtime);
    List<GoldenRow> golden = new ArrayList<>(TinyBundle.goldens());
    if (shuffled) {
      Collections.shuffle(golden, new Random(31L * runtime + (long) eta));
    }
    List<RowResult> results = fromText
        ? rt.score(golden.stream().map(GoldenRow::textRow).toList(), eta)
        : rt.scoreEncoded(golden.stream()
            .map(g -> EncodedRow.ofIds(g.inputIds(), g.tokenTypeIds())).toList(), eta);
    assertEquals(golden.size(), results.size());
    int dropped = 0;
    for (int i = 0; i < golden.size(); i++) {
      GoldenRow g = golden.get(i);
      GoldenRow.Run want = g.run(eta);
      RowResult got = results.get(i);
      String row = "golden row " + g.id() + " at eta_scale " + eta + " (batch rows "
          + rt.options().maxBatchRows() + ")";
      assertEquals(g.inputLength(), got.inputLength(), row + ": input length");
      assertArrayEquals(want.layerLengths(), got.layerLengths(), row + ": layer lengths");
      assertArrayEquals(want.keptPositions(), got.keptPositions(), row + ": kept positions");
      assertArrayEquals(want.logits(), got.logits(), LOGIT_TOLERANCE, row + ": logits");
      assertEquals(fromText && g.truncated(), got.truncated(), row + ": truncated");
      assertEquals(argmax(want.logits()), got.labelIndex(), row + ": label index");
      assertEquals(rt.bundle().manifest().labels().get(got.labelIndex()), got.label());
      float sum = 0;
      for (float p : got.probabilities()) {
        sum += p;
      }
      assertEquals(1f, sum, 1e-5f, row + ": probabilities sum");
      dropped += got.layerLengths()[got.layerLengths().length - 1] < g.inputLength() ? 1 : 0;
    }
    if (eta > 0) {
      assertTrue(dropped > 0, "goldens at eta_scale " + eta + " must drop tokens somewhere");
    }
  }

  private static int argmax(float[] v) {
    return IntStream.range(0, v.length).reduce((a, b) -> v[b] > v[a] ? b : a).orElseThrow();
  }
}
