package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplesAndSettingsTest {

  @Test
  void samplesPairByRepetition() {
    Samples a = Samples.of(4, 1, 3);
    Samples b = Samples.of(2, 1, 1);
    assertEquals(3, a.median());
    assertEquals(2.5, Samples.of(1, 4, 2, 3).median());
    assertEquals(1, a.min());
    assertEquals(4, a.max());
    assertEquals(1.0, a.spread());
    assertArrayEquals(new double[] {2, 1, 3}, a.over(b).values());
    assertArrayEquals(new double[] {25, 100, 100 / 3.0}, a.inverted(100).values(), 1e-12);
    assertEquals("3.0 (1.0-4.0)", a.format("%.1f"));
  }

  @Test
  void settingsHaveDefaultsAndNameBadValues() {
    BenchSettings s = BenchSettings.parse(new String[0]);
    assertEquals(2000, s.rows());
    assertEquals(1000, s.sideRows());
    assertEquals(0, s.tokenBudget());
    assertEquals(Set.of(BenchSettings.DEFAULT_SECTIONS.split(",")), s.sections());
    assertEquals(0, s.jobRows());
    assertEquals(0f, s.jobEtaScale());
    assertEquals(List.of("default"), s.jobVariants().stream().map(JobBench.Variant::name)
        .toList());
    s = BenchSettings.parse(new String[] {"--sections", "baseline,job", "--job-rows", "300",
        "--job-variants", "default;p8=--partitions 8;tok1=TOKENIZERS_PARALLELISM=false"
            + " --progress-seconds 0", "--format-bundles", "a,b"});
    assertEquals(300, s.jobRows());
    JobBench.Variant p8 = s.jobVariants().get(1);
    assertEquals("p8", p8.name());
    assertEquals(List.of("--partitions", "8"), p8.args());
    JobBench.Variant tok = s.jobVariants().get(2);
    assertEquals(Map.of("TOKENIZERS_PARALLELISM", "false"), tok.env());
    assertEquals(List.of("--progress-seconds", "0"), tok.args());
    assertEquals(List.of("a", "b"), s.formatBundles());
    s = BenchSettings.parse(new String[] {"--rows", "300", "--sections", "speedup,spark"});
    assertEquals(150, s.sideRows());
    assertEquals(Set.of("speedup", "spark"), s.sections());
    assertNull(BenchSettings.parse(new String[] {"--help"}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--rows", "0"}));
    assertEquals("--rows: expected a positive integer, found '0'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--sections", "speed"}));
    assertTrue(e.getMessage().startsWith("--sections: expected some of"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BenchSettings.parse(new String[] {"--row", "5"}));
    assertTrue(e.getMessage().startsWith("unknown options [row]"), e.getMessage());
  }
}
