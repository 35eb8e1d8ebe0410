package io.adapler.job.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.JobTestSupport;
import io.adapler.job.options.JobOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input format from the files when neither the option nor the input's name gives it. */
class InputFormatProbeTest {
  @TempDir Path dir;

  static final Configuration CONF = new Configuration();

  Path withFiles(String name, String... files) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    for (String f : files) {
      Files.writeString(d.resolve(f), "{\"key\": \"" + f + "\", \"body\": \"hello " + f + "\"}\n");
    }
    return d;
  }

  static String probe(Path p) throws Exception {
    return InputFormatProbe.formatOfFiles(new org.apache.hadoop.fs.Path(p.toUri()), CONF);
  }

  @Test
  void filesOfOneKindNameTheFormat() throws Exception {
    // Spark's and Hadoop's own files (_SUCCESS, .crc) do not count.
    assertEquals("json", probe(withFiles("json", "a.jsonl", "b.json", "c.ndjson.gz",
        "_SUCCESS", ".a.jsonl.crc")));
    assertEquals("csv", probe(withFiles("csv", "a.csv", "b.csv")));
    assertEquals("text", probe(withFiles("text", "a.txt")));
    assertEquals("json", probe(withFiles("single", "one.jsonl").resolve("one.jsonl")));
  }

  @Test
  void mixedUnknownOrNestedFilesNameNone() throws Exception {
    assertNull(probe(withFiles("mixed", "a.jsonl", "b.csv")));
    assertNull(probe(withFiles("unknown", "a.jsonl", "README")));
    Path nested = withFiles("partitioned");
    withFiles("partitioned/year=2026", "part-0.jsonl");
    assertNull(probe(nested));  // partitioned datasets stay Parquet, as before
    assertNull(probe(dir.resolve("missing")));
  }

  @Test
  void onlyAnUnnamedFormatIsSettled() throws Exception {
    Path d = withFiles("corpus", "a.jsonl", "b.jsonl");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    JobOptions unnamed = JobOptions.parse("--input", d.toString(), "--output", "o", "--bundle",
        "b");
    assertFalse(unnamed.inputFormatNamed());
    assertEquals("parquet", unnamed.inputFormat());
    JobOptions settled = InputFormatProbe.settle(unnamed, CONF, out);
    assertEquals("json", settled.inputFormat());
    assertTrue(settled.inputFormatNamed());
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("as json"), buf.toString());
    JobOptions named = JobOptions.parse("--input", d.toString(), "--input-format", "parquet",
        "--output", "o", "--bundle", "b");
    assertSame(named, InputFormatProbe.settle(named, CONF, out));  // the user's word stands
  }

  @Test
  void aDirectoryOfJsonLinesIsScoredWithoutTheOption() throws Exception {
    Path d = withFiles("mails", "a.jsonl", "b.jsonl");
    Path out = dir.resolve("scored");
    JobTestSupport.Run run = JobTestSupport.runOk("--input", d.toString(), "--id-column", "key",
        "--text-column", "body", "--bundle", JobTestSupport.tinyBundle(), "--output",
        out.toString(), "--progress-seconds", "0", "--summary-examples", "false");
    assertTrue(run.out().contains("as json"), run.out());
    Dataset<Row> written = JobTestSupport.spark().read().parquet(out.toString());
    assertEquals(List.of("a.jsonl", "b.jsonl"), written.where("status = 'OK'").orderBy("id")
        .select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
}
