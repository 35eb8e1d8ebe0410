package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.output.PartStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --parts} in local[2] mode on the sample corpus: a run committed in parts writes what
 * a plain run writes, a rerun skips what is committed and redoes only what is not, and a run
 * with other options is refused.
 */
class PartedRunTest {
  private static final Pattern COMMITTED = Pattern.compile("part (\\d+)/(\\d+) committed \\(");
  private static final Pattern SKIPPED = Pattern.compile("part (\\d+)/(\\d+) already committed");

  @TempDir static Path dir;
  static Map<String, Row> plain;

  @BeforeAll
  static void scoreWithoutParts() {
    JobTestSupport.runOk(args(dir.resolve("plain"), "0"));
    plain = ScoredOutputs.byId(dir.resolve("plain").toString());
    assertEquals(400, plain.size());
  }

  @Test
  void aPlainRunsSummaryHasNoParts() throws Exception {
    assertFalse(summary(dir.resolve("plain")).has("parts"));
  }

  static String[] args(Path output, String parts, String... more) {
    List<String> a = new ArrayList<>(List.of("--input", JobTestSupport.sampleCorpus(),
        "--input-format", "json", "--id-column", "id", "--pass-through", "gold_label",
        "--bundle", JobTestSupport.tinyBundle(), "--output", output.toString(),
        "--chunk-rows", "50", "--progress-seconds", "0", "--parts", parts));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static List<Integer> parts(Pattern p, String out) {
    List<Integer> found = new ArrayList<>();
    Matcher m = p.matcher(out);
    while (m.find()) {
      found.add(Integer.parseInt(m.group(1)));
    }
    return found;
  }

  static JsonNode summary(Path output) throws Exception {
    return new ObjectMapper().readTree(Files.readString(
        Path.of(ScoringJob.summaryDir(output.toString()), "summary.json")));
  }

  static List<String> dataFiles(Path output) throws Exception {
    try (Stream<Path> files = Files.list(output)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> !n.startsWith("_") && !n.startsWith(".")).sorted().toList();
    }
  }

  @Test
  void partsWriteWhatAPlainRunWritesAndARerunSkipsThemAll() throws Exception {
    Path out = dir.resolve("parted");
    JobTestSupport.Run first = JobTestSupport.runOk(args(out, "4"));
    assertEquals(List.of(1, 2, 3, 4), parts(COMMITTED, first.out()), first.out());
    ScoredOutputs.assertSameRows(plain, ScoredOutputs.byId(out.toString()));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    JsonNode s = summary(out);
    assertEquals(400, s.get("rows").asLong());
    assertEquals(0, s.get("parts").get("skipped").asInt());
    assertEquals(4, s.get("parts").get("scored").asInt());
    List<String> files = dataFiles(out);
    assertTrue(files.stream().allMatch(f -> f.matches("p0000[1-4]-part-.*\\.parquet")), "" + files);

    JobTestSupport.Run again = JobTestSupport.runOk(args(out, "4"));
    assertEquals(List.of(1, 2, 3, 4), parts(SKIPPED, again.out()), again.out());
    assertEquals(List.of(), parts(COMMITTED, again.out()), again.out());
    assertTrue(again.out().contains("4 already committed (skipped), 0 scored"), again.out());
    assertEquals(files, dataFiles(out));
    JsonNode s2 = summary(out);
    for (String key : List.of("rows", "statusCounts", "truncatedRows", "corpusFlopsSpeedup",
        "meanInputLength", "meanLayerLengths")) {
      assertEquals(s.get(key), s2.get(key), key); // the whole output, from the parts' markers
    }
    assertEquals(0, s2.get("rowsPerSecond").asDouble());
  }

  @Test
  void whatAKilledAttemptLeftIsDeletedAndOnlyItsPartsRedone() throws Exception {
    Path out = dir.resolve("killed");
    JobTestSupport.runOk(args(out, "4"));
    // As if killed after part 2's files moved but before its marker, and while Spark wrote
    // part 3 (its marker gone, a half-written temporary directory, a torn marker).
    Path bookkeeping = out.resolve(PartStore.DIR);
    Files.delete(bookkeeping.resolve("part-00002.json"));
    Files.delete(bookkeeping.resolve("part-00003.json"));
    Files.createDirectories(bookkeeping.resolve("tmp-part-00003/_temporary/0"));
    Files.writeString(bookkeeping.resolve("tmp-part-00003/_temporary/0/junk.parquet"), "x");
    Files.writeString(bookkeeping.resolve(".part-00003.json.tmp"), "{\"part\": 3, \"fi");
    Files.delete(out.resolve("_SUCCESS"));

    JobTestSupport.Run rerun = JobTestSupport.runOk(args(out, "4"));
    assertEquals(List.of(1, 4), parts(SKIPPED, rerun.out()), rerun.out());
    assertEquals(List.of(2, 3), parts(COMMITTED, rerun.out()), rerun.out());
    ScoredOutputs.assertSameRows(plain, ScoredOutputs.byId(out.toString()));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertFalse(Files.exists(bookkeeping.resolve("tmp-part-00003")));
    JsonNode s = summary(out);
    assertEquals(400, s.get("rows").asLong());
    assertEquals(2, s.get("parts").get("skipped").asInt());
    assertEquals(2, s.get("parts").get("scored").asInt());
    assertEquals(s.get("parts").get("rowsScored").asLong(),
        rerun.out().lines().filter(l -> COMMITTED.matcher(l).find())
            .mapToLong(l -> Long.parseLong(l.replaceAll(".*\\((\\d+) rows.*", "$1"))).sum());
  }

  @Test
  void aRunWithOtherOptionsIsRefusedUnlessItOverwrites() throws Exception {
    Path out = dir.resolve("other");
    JobTestSupport.runOk(args(out, "4"));
    List<String> files = dataFiles(out);

    JobTestSupport.Run eta = JobTestSupport.run(args(out, "4", "--eta-scale", "2"));
    assertEquals(ScoringJob.EXIT_OPTIONS, eta.exitCode(), eta.err());
    assertTrue(eta.err().contains("eta-scale: 1.0 then, 2.0 now"), eta.err());
    assertTrue(eta.err().contains("--mode overwrite"), eta.err());
    JobTestSupport.Run n = JobTestSupport.run(args(out, "3"));
    assertEquals(ScoringJob.EXIT_OPTIONS, n.exitCode(), n.err());
    assertTrue(n.err().contains("parts: 4 then, 3 now"), n.err());
    assertEquals(files, dataFiles(out), "a refused run leaves the output alone");

    JobTestSupport.Run over = JobTestSupport.runOk(args(out, "3", "--eta-scale", "2",
        "--mode", "overwrite"));
    assertEquals(List.of(1, 2, 3), parts(COMMITTED, over.out()), over.out());
    assertEquals(400, ScoredOutputs.byId(out.toString()).size());
    assertEquals(2.0, summary(out).get("etaScale").asDouble());

    JobTestSupport.Run notParted = JobTestSupport.run(args(dir.resolve("plain"), "4"));
    assertEquals(ScoringJob.EXIT_OPTIONS, notParted.exitCode(), notParted.err());
    assertTrue(notParted.err().contains("was not written with --parts"), notParted.err());
    JobTestSupport.Run append = JobTestSupport.run(args(out, "3", "--mode", "append"));
    assertEquals(ScoringJob.EXIT_OPTIONS, append.exitCode(), append.err());
  }
}
