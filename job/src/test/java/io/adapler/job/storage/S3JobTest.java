package io.adapler.job.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.JobTestSupport;
import io.adapler.job.ScoredOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in local mode with its bundle, corpus and output on {@code s3a://}, against an S3
 * API server on loopback ({@link S3Server}) and the settings of {@code conf/spark-s3.conf}:
 * the output, written by the S3A magic committer and read back from S3, is the output of the
 * same run on the local file system; so is a run committed in parts; a bucket that does not
 * exist and an endpoint that refuses connections are input errors (exit 4) that name the path.
 */
class S3JobTest {
  private static final int EXIT_INPUT = 4; // ScoringJob's exit code for the input
  private static final Duration BOUND = Duration.ofSeconds(120);

  @TempDir static Path dir;
  static LocalS3 s3;
  static String lake;
  static Map<String, Row> local;

  @BeforeAll
  static void uploadAndScoreLocally() throws Exception {
    s3 = LocalS3.start(dir.resolve("s3"), JobTestSupport.spark());
    lake = s3.bucket("lake");
    s3.upload(JobTestSupport.tinyBundle(), lake + "/models/tiny-random");
    s3.upload(JobTestSupport.sampleCorpus(), lake + "/mails/part-0.jsonl");
    String out = dir.resolve("local").toString();
    JobTestSupport.runOk(args(JobTestSupport.sampleCorpus(), JobTestSupport.tinyBundle(), out));
    local = ScoredOutputs.byId(out);
    assertEquals(400, local.size());
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void scoresFromS3ToS3AsOnTheLocalFileSystem() throws Exception {
    String out = lake + "/scores";
    JobTestSupport.runOk(args(lake + "/mails", lake + "/models/tiny-random", out));

    ScoredOutputs.assertSameRows(local, ScoredOutputs.byId(out));
    JsonNode success = json(out + "/_SUCCESS");
    assertEquals("magic", success.path("committer").asText(),
        "the S3A magic committer wrote _SUCCESS (a classic commit leaves it empty): " + success);
    assertEquals(8, success.path("filenames").size(), success.toString());
    assertEquals(List.of(), objects(out).stream().filter(n -> n.contains("__magic")).toList(),
        "the committer cleaned up after itself");
    JsonNode summary = json(out + "_summary/summary.json");
    assertEquals(400, summary.path("rows").asLong());
    assertTrue(s3.fs(out).exists(new org.apache.hadoop.fs.Path(out + "_summary/summary.html")));
  }

  @Test
  void aRunInPartsOnS3WritesTheSameOutputAndARerunSkipsEveryPart() throws Exception {
    String out = lake + "/scores-in-parts";
    List<String> options = new ArrayList<>(List.of(args(lake + "/mails",
        lake + "/models/tiny-random", out)));
    options.addAll(List.of("--parts", "3"));
    String first = JobTestSupport.runOk(options.toArray(String[]::new)).out();
    for (int k = 1; k <= 3; k++) {
      assertTrue(first.contains("part " + k + "/3 committed ("), first);
    }
    ScoredOutputs.assertSameRows(local, ScoredOutputs.byId(out));
    List<String> files = objects(out);
    assertTrue(files.contains("_SUCCESS"), files.toString());
    assertEquals(List.of("_adapler_parts/manifest.json", "_adapler_parts/part-00001.json",
        "_adapler_parts/part-00002.json", "_adapler_parts/part-00003.json"),
        files.stream().filter(n -> n.startsWith("_adapler_parts/")).toList(),
        "no temporary directory or torn marker is left");

    String again = JobTestSupport.runOk(options.toArray(String[]::new)).out();
    for (int k = 1; k <= 3; k++) {
      assertTrue(again.contains("part " + k + "/3 already committed, skipped"), again);
    }
    assertEquals(files, objects(out));
  }

  @Test
  void aBucketThatDoesNotExistIsAnInputErrorNamingThePath() {
    String input = "s3a://no-such-bucket-" + System.nanoTime() + "/mails";
    JobTestSupport.Run r = assertTimeoutPreemptively(BOUND, () -> JobTestSupport.run(
        args(input, JobTestSupport.tinyBundle(), dir.resolve("none").toString())));
    assertEquals(EXIT_INPUT, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("error: the input cannot be read: "), r.err());
    assertTrue(r.err().contains(input), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());
  }

  @Test
  void anEndpointThatRefusesConnectionsIsAnInputErrorNamingThePath() throws Exception {
    // One bucket's settings point at a port nothing listens on, with one try per request
    // (with S3A's default retries this takes minutes; see conf/spark-s3.conf).
    String bucket = "unreachable-" + System.nanoTime();
    var conf = s3.hadoop();
    conf.set("fs.s3a.bucket." + bucket + ".endpoint", "http://127.0.0.1:" + S3Server.freePort());
    conf.set("fs.s3a.bucket." + bucket + ".retry.limit", "1");
    conf.set("fs.s3a.bucket." + bucket + ".attempts.maximum", "1");
    String input = "s3a://" + bucket + "/mails";
    try {
      JobTestSupport.Run r = assertTimeoutPreemptively(BOUND, () -> JobTestSupport.run(
          args(input, JobTestSupport.tinyBundle(), dir.resolve("none").toString())));
      assertEquals(EXIT_INPUT, r.exitCode(), r.err());
      assertTrue(r.err().startsWith("error: the input cannot be read: "), r.err());
      assertTrue(r.err().contains(input), r.err());
      assertTrue(r.err().contains("Connection refused"), r.err());
    } finally {
      for (String key : List.of("endpoint", "retry.limit", "attempts.maximum")) {
        conf.unset("fs.s3a.bucket." + bucket + "." + key);
      }
      s3.fs(input).close();
    }
  }

  static String[] args(String input, String bundle, String output) {
    return new String[] {"--input", input, "--input-format", "json", "--id-column", "id",
        "--pass-through", "gold_label", "--bundle", bundle, "--output", output,
        "--progress-seconds", "0"};
  }

  /** The keys of the objects under an S3 prefix, relative to it, sorted. */
  static List<String> objects(String uri) throws IOException {
    return LocalS3.objects(s3.fs(uri), uri);
  }

  static JsonNode json(String uri) throws IOException {
    try (InputStream in = s3.fs(uri).open(new org.apache.hadoop.fs.Path(uri))) {
      return new ObjectMapper().readTree(in);
    }
  }
}
