package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.CpuThreading;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline runs the plain all-MiniLM-L6-v2 graph one row per call: hidden states of shape
 * [1, tokens, 384], and tokens counted as the shipped bundle's own tokenizer counts them (the
 * same vocabulary, truncation at 128). Needs the graph from model/scripts/fetch_backbone.sh;
 * skipped without it.
 */
class PlainGraphTest {
  private static final Path ROOT = Path.of(System.getProperty("adapler.repo.root", ".."));
  private static final Path DIR = ROOT.resolve(PlainGraph.DEFAULT_DIR);

  @Test
  void runsOneRowPerCallAndCountsTokensLikeTheBundle(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(DIR.resolve("model.onnx")),
        "no " + DIR + "/model.onnx: run model/scripts/fetch_backbone.sh");
    List<TextRow> rows = List.of(TextRow.of("Hello world"),
        TextRow.of("Subject: FREE money!!! Click here: http://example.com/win?id=42"),
        TextRow.of("spam ".repeat(400)));
    ModelBundle bundle = new BundleLoader(tmp).load(ROOT.resolve("samples/models/spam-minilm")
        .toString());
    try (PlainGraph graph = new PlainGraph(DIR, 128, CpuThreading.defaults());
         AdaplerRuntime ours = AdaplerRuntime.open(bundle, RuntimeOptions.builder().build())) {
      List<EncodedRow> encoded = ours.encode(rows);
      for (int i = 0; i < rows.size(); i++) {
        PlainGraph.Call call = graph.run(rows.get(i).text());
        assertEquals(encoded.get(i).length(), call.tokens(), "row " + i);
        assertEquals(call.tokens(), graph.tokens(rows.get(i).text()));
        assertArrayEquals(new long[] {1, call.tokens(), 384}, call.outputShape(), "row " + i);
      }
      assertEquals(4, graph.run("Hello world").tokens()); // [CLS] hello world [SEP]
      assertEquals(128, graph.run(rows.get(2).text()).tokens());
      long total = encoded.stream().mapToLong(EncodedRow::length).sum();
      assertEquals(total, BaselineTrial.tokens(graph, rows));
      BaselineTrial trial = new BaselineTrial(graph, List.of(rows.subList(0, 2),
          rows.subList(2, 3)));
      assertTrue(trial.seconds() > 0);
    }
  }

  @Test
  void missingGraphNamesTheFetchScript(@TempDir Path tmp) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PlainGraph(tmp, 128, CpuThreading.defaults()));
    assertTrue(e.getMessage().contains("fetch_backbone.sh"), e.getMessage());
  }
}
