package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.job.output.PartStore;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash a scheduler retries: the job runs with {@code --parts} in a child JVM, is killed
 * with SIGKILL once some but not all parts are committed, and is run again with the same
 * options. The second run must score only the parts the first did not commit, and the output
 * must be exactly what an uninterrupted run writes.
 */
class ResumeAfterKillIT {
  private static final int PARTS = 8;
  private static final int COPIES = 8;
  private static final Pattern COMMITTED = Pattern.compile("part (\\d+)/" + PARTS + " committed \\(");
  private static final Pattern SKIPPED = Pattern.compile("part (\\d+)/" + PARTS + " already committed");

  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    JobTestSupport.stopSpark(); // the cluster ITs in this JVM start sessions of their own
  }

  /** The 400 sample mails, 8 times over with a different first line, plus NULL and EMPTY rows. */
  private Path corpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> mails = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()))) {
      mails.add(json.readTree(line));
    }
    Path file = dir.resolve("corpus/mails.jsonl");
    Files.createDirectories(file.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int c = 0; c < COPIES; c++) {
        for (JsonNode m : mails) {
          ObjectNode row = json.createObjectNode();
          row.put("id", "copy-" + c + "/" + m.get("id").asText());
          row.put("text", c == 0 ? m.get("text").asText()
              : "Forwarded " + c + " times.\n" + m.get("text").asText());
          row.put("gold_label", m.get("gold_label").asText());
          w.write(json.writeValueAsString(row));
          w.newLine();
        }
      }
      for (int i = 0; i < 40; i++) {
        ObjectNode row = json.createObjectNode().put("id", "blank-" + i).put("gold_label", "ham");
        if (i % 2 == 0) {
          row.putNull("text");
        } else {
          row.put("text", " \t ");
        }
        w.write(json.writeValueAsString(row));
        w.newLine();
      }
    }
    return file;
  }

  private static List<String> args(Path corpus, Path output, int parts) {
    return List.of("--input", corpus.toString(), "--input-format", "json", "--id-column", "id",
        "--pass-through", "gold_label", "--bundle", JobTestSupport.tinyBundle(), "--output",
        output.toString(), "--progress-seconds", "0", "--parts", String.valueOf(parts));
  }

  private static Set<Integer> parts(Pattern p, String out) {
    Set<Integer> found = new TreeSet<>();
    Matcher m = p.matcher(out);
    while (m.find()) {
      found.add(Integer.parseInt(m.group(1)));
    }
    return found;
  }

  /** The parts with a commit marker, by number. */
  private static Set<Integer> committed(Path output) throws Exception {
    Path markers = output.resolve(PartStore.DIR);
    if (!Files.isDirectory(markers)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(markers)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("part-\\d{5}\\.json"))
          .map(n -> Integer.parseInt(n.substring(5, 10))).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void aRunKilledMidwayAndRerunWritesExactlyWhatAnUninterruptedRunWrites() throws Exception {
    Path corpus = corpus();
    long start = System.nanoTime();
    Path reference = dir.resolve("reference");
    JobTestSupport.runOk(args(corpus, reference, 0).toArray(String[]::new));
    Map<String, Row> expected = ScoredOutputs.byId(reference.toString());
    assertEquals(COPIES * 400 + 40, expected.size());
    long referenceSeconds = (System.nanoTime() - start) / 1_000_000_000;

    Path output = dir.resolve("scores");
    ChildJob first = ChildJob.start(dir, "first", args(corpus, output, PARTS));
    while (committed(output).isEmpty()) {
      assertTrue(first.isAlive(), () -> "the first run ended before it committed a part:\n"
          + first.logs());
      Thread.sleep(20);
    }
    first.kill();
    Set<Integer> before = committed(output);
    assertTrue(before.size() < PARTS, () -> "every part was committed before the kill: make "
        + "the parts slower\n" + first.logs());
    // The kill may fall between a marker and the line that reports it, not the other way.
    assertTrue(before.containsAll(parts(COMMITTED, first.out())), first.logs());

    ChildJob second = ChildJob.start(dir, "second", args(corpus, output, PARTS));
    assertEquals(0, second.await(240), second::logs);
    String out = second.out();
    Set<Integer> rest = IntStream.rangeClosed(1, PARTS).boxed()
        .filter(k -> !before.contains(k)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(before, parts(SKIPPED, out), out);
    assertEquals(rest, parts(COMMITTED, out), out);
    assertTrue(out.contains(String.format("parts            %d: %d already committed (skipped), "
        + "%d scored in this run", PARTS, before.size(), rest.size())), out);

    ScoredOutputs.assertSameRows(expected, ScoredOutputs.byId(output.toString()));
    assertTrue(Files.exists(output.resolve("_SUCCESS")));
    JsonNode summary = new ObjectMapper().readTree(Files.readString(
        Path.of(ScoringJob.summaryDir(output.toString()), "summary.json")));
    assertEquals(expected.size(), summary.get("rows").asLong());
    Map<String, Long> statuses = new TreeMap<>(expected.values().stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs("status"), Collectors.counting())));
    statuses.forEach((s, n) -> assertEquals(n, summary.get("statusCounts").get(s).asLong(), s));
    System.out.printf("[ResumeAfterKillIT] reference run %d s; killed after parts %s; rerun "
        + "scored %s; %d s in all; the rerun said:%n%s", referenceSeconds, before, rest,
        (System.nanoTime() - start) / 1_000_000_000, out);
  }
}
