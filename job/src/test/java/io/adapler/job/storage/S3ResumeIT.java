package io.adapler.job.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.ChildJob;
import io.adapler.job.JobTestSupport;
import io.adapler.job.ScoredOutputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part-by-part commit over S3, where a rename is a copy: the job runs with
 * {@code --parts 3} in a child JVM with only the jars and settings {@code conf/spark-s3.conf}
 * names, reading its bundle and corpus from S3 and writing there; it is killed with SIGKILL
 * once a part is committed, and run again with the same options. The rerun skips the parts
 * the first run committed and scores the rest, and the output, read back from S3, is what the
 * same run writes on the local file system.
 */
class S3ResumeIT {
  private static final Pattern COMMITTED = Pattern.compile("part (\\d)/3 committed \\(");
  private static final Pattern SKIPPED = Pattern.compile("part (\\d)/3 already committed");

  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    JobTestSupport.stopSpark(); // the other ITs in this JVM start sessions of their own
  }

  @Test
  void aRunKilledAfterAPartResumesToTheOutputOfAnUninterruptedRun() throws Exception {
    String localOut = dir.resolve("local").toString();
    JobTestSupport.runOk(args(JobTestSupport.sampleCorpus(), JobTestSupport.tinyBundle(),
        localOut).toArray(String[]::new));
    Map<String, Row> local = ScoredOutputs.byId(localOut);

    try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"), JobTestSupport.spark())) {
      String lake = s3.bucket("lake");
      s3.upload(JobTestSupport.tinyBundle(), lake + "/models/tiny-random");
      s3.upload(JobTestSupport.sampleCorpus(), lake + "/mails/part-0.jsonl");
      String out = lake + "/scores";
      List<String> options = args(lake + "/mails", lake + "/models/tiny-random", out);

      ChildJob first = S3ChildJob.start(dir, "first", s3.settings(), options);
      long until = System.nanoTime() + 300_000_000_000L;
      while (first.isAlive() && !COMMITTED.matcher(first.out()).find()
          && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertTrue(first.isAlive(), "the first run ended before it could be killed\n"
          + first.logs());
      first.kill();
      Set<String> committed = parts(COMMITTED, first.out());
      assertFalse(committed.isEmpty(), first.logs());
      assertTrue(committed.size() < 3, "killed after the last part: " + first.logs());
      FileSystem fs = s3.fs(out);
      assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out + "/_SUCCESS")));

      ChildJob again = S3ChildJob.start(dir, "again", s3.settings(), options);
      assertEquals(0, again.await(300), again.logs());
      String log = again.out();
      assertEquals(committed, parts(SKIPPED, log), log);
      Set<String> rest = new TreeSet<>(Set.of("1", "2", "3"));
      rest.removeAll(committed);
      assertEquals(rest, parts(COMMITTED, log), log);

      ScoredOutputs.assertSameRows(local, ScoredOutputs.byId(out));
      List<String> objects = LocalS3.objects(fs, out);
      assertEquals(List.of("_adapler_parts/manifest.json", "_adapler_parts/part-00001.json",
          "_adapler_parts/part-00002.json", "_adapler_parts/part-00003.json"),
          objects.stream().filter(n -> n.startsWith("_adapler_parts/")).toList(),
          "no temporary file or torn marker is left");
      assertTrue(objects.contains("_SUCCESS"), objects.toString());
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "_summary/summary.json")));
    }
  }

  private static List<String> args(String input, String bundle, String output) {
    return new ArrayList<>(List.of("--input", input, "--input-format", "json", "--id-column",
        "id", "--pass-through", "gold_label", "--bundle", bundle, "--output", output,
        "--progress-seconds", "0", "--parts", "3"));
  }

  private static Set<String> parts(Pattern p, String out) {
    Set<String> found = new TreeSet<>();
    Matcher m = p.matcher(out);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
