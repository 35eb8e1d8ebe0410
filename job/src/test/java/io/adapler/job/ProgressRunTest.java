package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run with progress every second, its lines read back: rows scored never go down and
 * never pass the input's rows, and the last line has them all.
 */
class ProgressRunTest {
  /**
   * The sample corpus (400 mails) four times with the shipped all-MiniLM model on local[2]:
   * several seconds of scoring on two free cores of any CPU of the machine kind, so a line a
   * second gives several lines. (One copy took 2 s once the model dropped 85% of the FLOPs.)
   */
  static final int COPIES = 4;
  static final Pattern LINE = Pattern.compile(
      "\\[adapler\\] ([\\d,]+)(?: of ([\\d,]+))? rows scored.*");
  static final Pattern LAST = Pattern.compile(
      "\\[adapler\\] scored ([\\d,]+)(?: of ([\\d,]+))? rows in .*");

  @TempDir
  static Path dir;
  static Path corpus;
  static int rows;

  @BeforeAll
  static void writeCorpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (int c = 0; c < COPIES; c++) {
      for (String l : Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()))) {
        ObjectNode node = (ObjectNode) json.readTree(l);
        node.put("id", c + "/" + node.get("id").asText());
        lines.add(json.writeValueAsString(node));
      }
    }
    rows = lines.size();
    corpus = dir.resolve("corpus.jsonl");
    Files.write(corpus, lines);
  }

  @Test
  void aPlainRunReportsRowsScoredUpToAllOfThem() {
    check(JobTestSupport.runOk(args("plain")));
  }

  /**
   * A repartitioned input is counted by the stage that reads and shuffles it: no count job
   * reads it a second time (the parted run, which reads per part, still has one).
   */
  @Test
  void aShuffledRunCountsItsRowsWithoutAJobOfItsOwn() {
    List<String> groups = new CopyOnWriteArrayList<>();
    SparkListener jobs = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        groups.add(String.valueOf(job.properties().getProperty("spark.jobGroup.id")));
      }
    };
    var sc = JobTestSupport.spark().sparkContext();
    sc.addSparkListener(jobs);
    try {
      check(JobTestSupport.runOk(args("shuffled")));
      assertTrue(groups.size() >= 2, () -> "no jobs seen: " + groups);
      assertTrue(groups.stream().noneMatch(g -> g.startsWith("adapler-progress-count")),
          () -> "a count job ran: " + groups);
      List<String> a = new ArrayList<>(List.of(args("shuffled-parted")));
      a.addAll(List.of("--parts", "2"));
      check(JobTestSupport.runOk(a.toArray(String[]::new)));
      assertTrue(groups.stream().anyMatch(g -> g.startsWith("adapler-progress-count")),
          () -> "the parted run's count job did not run: " + groups);
    } finally {
      sc.removeSparkListener(jobs);
    }
  }

  @Test
  void aPartedRunReportsRowsScoredAcrossItsParts() {
    List<String> a = new ArrayList<>(List.of(args("parted")));
    a.addAll(List.of("--parts", "2"));
    check(JobTestSupport.runOk(a.toArray(String[]::new)));
  }

  private static String[] args(String out) {
    return new String[] {"--input", corpus.toString(), "--input-format", "json",
        "--id-column", "id", "--bundle",
        JobTestSupport.root().resolve("samples/models/spam-minilm").toString(),
        "--output", dir.resolve(out).toString(), "--partitions", "6", "--chunk-rows", "20",
        "--summary", "false", "--progress-seconds", "1"};
  }

  private static void check(JobTestSupport.Run run) {
    System.out.print(run.out());
    long last = 0;
    int lines = 0;
    String finalLine = null;
    for (String l : run.out().split("\n")) {
      Matcher m = LINE.matcher(l);
      if (m.matches()) {
        lines++;
        long scored = number(m.group(1));
        assertTrue(scored >= last, () -> "rows scored went down: " + l + "\n" + run.out());
        assertTrue(scored <= rows, () -> "more rows scored than read: " + l);
        if (m.group(2) != null) {
          assertEquals(rows, number(m.group(2)), l);
        }
        last = scored;
      } else if (LAST.matcher(l).matches()) {
        finalLine = l;
      }
    }
    assertTrue(lines >= 2, () -> "expected progress lines every second:\n" + run.out());
    assertTrue(finalLine != null, () -> "no last line:\n" + run.out());
    Matcher m = LAST.matcher(finalLine);
    assertTrue(m.matches());
    assertEquals(rows, number(m.group(1)), finalLine);
    assertEquals(String.valueOf(rows), m.group(2).replace(",", ""), finalLine);
  }

  private static long number(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
