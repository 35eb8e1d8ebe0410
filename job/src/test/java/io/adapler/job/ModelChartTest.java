package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code submit.sh chart}: the model chart in the docs is what the job's chart code draws from
 * the shipped bundle's measured figures, and a bundle without them is a clear error.
 */
class ModelChartTest {
  private static final Path ROOT = JobTestSupport.root();
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"spam-minilm", "spam-minilm-512"})
  void theDocsChartIsTheJobsDrawingOfTheShippedFigures(String name) throws Exception {
    Path out = dir.resolve("chart.svg");
    String bundle = ROOT.resolve("samples/models/" + name).toString();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ModelChart.run(new String[] {"--bundle", bundle, "--out", out.toString()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String drawn = Files.readString(out);
    assertEquals(Files.readString(ROOT.resolve("docs/" + name + "-tradeoff.svg")), drawn,
        "docs/" + name + "-tradeoff.svg is stale: ./submit.sh chart --bundle samples/models/"
            + name + " --out docs/" + name + "-tradeoff.svg");
    assertTrue(drawn.contains(">teacher</text>") && drawn.contains("the trained point"), drawn);
  }

  @Test
  void aBundleWithoutMeasuredFiguresIsAClearError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ModelChart.run(new String[] {"--bundle", JobTestSupport.tinyBundle(), "--out",
        dir.resolve("x.svg").toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err));
    assertEquals(ScoringJob.EXIT_BUNDLE, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no metrics.test_tradeoff"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(ScoringJob.EXIT_OPTIONS, ModelChart.run(new String[] {"--bundle"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
  }
}
