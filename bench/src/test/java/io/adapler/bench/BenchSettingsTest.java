package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The suite's options: defaults, the job section's variants, and values it refuses. */
class BenchSettingsTest {

  @Test
  void defaults() {
    BenchSettings s = BenchSettings.parse(new String[0]);
    assertEquals(2000, s.rows());
    assertEquals(1000, s.sideRows());
    assertEquals(0, s.tokenBudget());
    assertEquals(Set.of(BenchSettings.DEFAULT_SECTIONS.split(",")), s.sections());
    assertEquals(0, s.jobRows());
    assertEquals(0f, s.jobEtaScale());
    assertEquals(List.of("default"), s.jobVariants().stream().map(JobVariant::name).toList());
    assertEquals(List.of(BenchSettings.DEFAULT_BUNDLE), s.formatBundles());
    assertNull(BenchSettings.parse(new String[] {"--help"}));
  }

  @Test
  void jobVariantsCarryOptionsAndEnvironment() {
    BenchSettings s = BenchSettings.parse(new String[] {"--sections", "baseline,job",
        "--job-rows", "300", "--job-eta-scale", "1", "--job-variants",
        "default;p8=--partitions 8;tok1=TOKENIZERS_PARALLELISM=false --progress-seconds 0",
        "--format-bundles", "a,b"});
    assertEquals(Set.of("baseline", "job"), s.sections());
    assertEquals(300, s.jobRows());
    assertEquals(1f, s.jobEtaScale());
    JobVariant p8 = s.jobVariants().get(1);
    assertEquals("p8", p8.name());
    assertEquals(List.of("--partitions", "8"), p8.args());
    assertEquals("p8 (`--partitions 8`)", p8.describe());
    JobVariant tok = s.jobVariants().get(2);
    assertEquals(Map.of("TOKENIZERS_PARALLELISM", "false"), tok.env());
    assertEquals(List.of("--progress-seconds", "0"), tok.args());
    assertEquals("default", s.jobVariants().get(0).describe());
    assertEquals(List.of("a", "b"), s.formatBundles());
    assertEquals(150, BenchSettings.parse(new String[] {"--rows", "300"}).sideRows());
  }

  @Test
  void refusesWhatItCannotRun() {
    assertEquals("--rows: expected an integer >= 1, found '0'", error("--rows", "0"));
    assertEquals("--side-rows: expected an integer from 1 to 300, found '400'",
        error("--rows", "300", "--side-rows", "400"));
    assertTrue(error("--sections", "speed").startsWith("--sections: expected some of"));
    // Retired sections are refused, not ignored.
    assertTrue(error("--sections", "job,spark").contains("found 'job,spark'"));
    assertEquals("--job-variants: expected distinct names, found [a, a]",
        error("--job-variants", "a=--partitions 8;a=--partitions 4"));
    assertEquals("--job-variants: expected NAME=OPTIONS, found '=--partitions 8'",
        error("--job-variants", "=--partitions 8"));
    assertTrue(error("--gemm-size", "64").startsWith("unknown options [--gemm-size]"));
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse(args))
        .getMessage();
  }
}
