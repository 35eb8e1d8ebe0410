package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's packages read bottom-up: each imports only packages of a lower layer, so no arrow
 * runs back up; and no class grows past the size a reader takes in.
 */
class PackageLayersTest {
  private static final Path MAIN = JobTestSupport.root().resolve("job/src/main/java");
  /** Layer of each package: a package may import only packages of a lower layer. */
  private static final Map<String, Integer> LAYER = Map.of(
      "io.adapler.job.chart", 0, "io.adapler.job.options", 0, "io.adapler.job.progress", 0,
      "io.adapler.job.input", 1, "io.adapler.job.report", 2, "io.adapler.job.output", 3,
      "io.adapler.job.calibration", 3, "io.adapler.job", 4);
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(io\\.adapler\\.job(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void noPackageImportsOneAboveOrBesideIt() throws IOException {
    List<String> upward = new ArrayList<>();
    for (Path f : sources()) {
      String pkg = packageOf(f);
      assertTrue(LAYER.containsKey(pkg), pkg + " has no layer in this test: give it one");
      Matcher m = IMPORT.matcher(Files.readString(f));
      while (m.find()) {
        String to = m.group(1);
        if (!to.equals(pkg) && LAYER.getOrDefault(to, 99) >= LAYER.get(pkg)) {
          upward.add(MAIN.relativize(f) + " imports " + to);
        }
      }
    }
    assertEquals(List.of(), upward);
  }

  @Test
  void everyPackageSaysWhatItHoldsAndNoClassIsOverlong() throws IOException {
    List<String> missing = new ArrayList<>();
    List<String> longOnes = new ArrayList<>();
    for (Path f : sources()) {
      if (!Files.exists(f.resolveSibling("package-info.java"))) {
        missing.add(packageOf(f));
      }
      long lines = Files.readAllLines(f).size();
      if (lines > 320) {
        longOnes.add(MAIN.relativize(f) + " (" + lines + " lines)");
      }
    }
    assertEquals(List.of(), missing.stream().distinct().toList(), "packages without package-info");
    assertEquals(List.of(), longOnes, "classes over ~300 lines: split them");
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN.resolve("io/adapler/job"))) {
      return s.filter(p -> p.toString().endsWith(".java")
          && !p.getFileName().toString().equals("package-info.java")).sorted().toList();
    }
  }

  private static String packageOf(Path f) {
    return MAIN.relativize(f.getParent()).toString().replace('/', '.');
  }
}
