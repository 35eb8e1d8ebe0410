package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.input.InputFormatProbe;
import io.adapler.job.options.JobOption;
import io.adapler.job.options.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOptionsTest {
  @TempDir Path dir;

  @Test
  void flagsOverrideTheConfigFileWhichOverridesDefaults() throws Exception {
    Path conf = dir.resolve("job.conf");
    Files.writeString(conf, "# comment\ninput = in.json\ninput-format = JSON\noutput = out\n"
        + "bundle = b\neta-scale = 2\npass-through = a, b ,c\n");
    JobOptions o = JobOptions.parse("--config", conf.toString(), "--eta-scale=0.5",
        "--output", "elsewhere");
    assertEquals("in.json", o.input());
    assertEquals("json", o.inputFormat());
    assertEquals("elsewhere", o.output());
    assertEquals(0.5f, o.etaScale());
    assertEquals(List.of("a", "b", "c"), o.passThrough());
    assertEquals("errorifexists", o.mode());
    assertEquals("cpu", o.device());
    assertTrue(o.generatedId());
    assertFalse(o.pairs());
  }

  @Test
  void theShippedDefaultConfigParses() {
    JobOptions o = JobOptions.parse("--config",
        JobTestSupport.root().resolve("conf/job.conf").toString());
    assertEquals("json", o.inputFormat());
    assertEquals(List.of("gold_label"), o.passThrough());
  }

  @Test
  void withoutAFormatTheInputsExtensionNamesIt() {
    Map<String, String> expected = Map.of("corpus/*.jsonl", "json", "s3a://b/mails.JSON", "json",
        "a.ndjson", "json", "x/rows.csv", "csv", "notes.txt", "text", "t.orc", "orc",
        "hdfs://nn/warehouse/corpus", "parquet", "part-0.parquet", "parquet",
        "dir.v2/corpus", "parquet");
    expected.forEach((input, format) -> assertEquals(format, JobOptions.parse("--input", input,
        "--output", "o", "--bundle", "b").inputFormat(), input));
    // compressed files are named by the extension under the compression's
    assertEquals("json", JobOptions.parse("--input", "mails.jsonl.gz", "--output", "o",
        "--bundle", "b").inputFormat());
    assertEquals("csv", JobOptions.formatOfExtension("rows.CSV.bz2"));
    // only a name without a format's extension leaves the files to say (InputFormatProbe)
    expected.forEach((input, format) -> assertEquals(!input.contains("corpus")
        || input.endsWith(".jsonl"), JobOptions.parse("--input", input, "--output", "o",
        "--bundle", "b").inputFormatNamed(), input));
    // an explicit format wins, and the text format still reads the value column
    assertEquals("parquet", JobOptions.parse("--input", "a.jsonl", "--input-format", "parquet",
        "--output", "o", "--bundle", "b").inputFormat());
    assertEquals("value", JobOptions.parse("--input", "notes.txt", "--output", "o", "--bundle",
        "b").textColumn());
  }

  @Test
  void textFormatReadsTheValueColumn() {
    assertEquals("value", JobOptions.parse("--input", "x", "--input-format", "text", "--output",
        "o", "--bundle", "b").textColumn());
  }

  @Test
  void helpReturnsNullAndDocumentsEveryOption() {
    assertNull(JobOptions.parse("--help"));
    String help = JobOption.helpText();
    for (JobOption o : JobOption.values()) {
      assertTrue(help.contains("--" + o.flag()), o.flag());
    }
  }

  @Test
  void badValuesNameTheOptionAndWhatItAccepts() {
    String[] base = {"--input", "x", "--output", "o", "--bundle", "b"};
    assertMessage("--input is required", "--output", "o", "--bundle", "b");
    assertMessage("--input-format must be one of [csv, delta, iceberg, json, orc, parquet, table, "
        + "text], found 'xml'",
        concat(base, "--input-format", "xml"));
    assertMessage("--eta-scale must be a number >= 0, found '-1'", concat(base, "--eta-scale", "-1"));
    assertMessage("--token-budget must be an integer >= 0, found 'lots'",
        concat(base, "--token-budget", "lots"));
    assertMessage("--summary must be true or false, found 'yes'", concat(base, "--summary", "yes"));
    assertMessage("--output-format must be one of [delta, iceberg, parquet], found 'hudi'",
        concat(base, "--output-format", "hudi"));
    assertMessage("--incremental appends the new rows to the output; it cannot go with --mode "
        + "overwrite", concat(base, "--id-column", "id", "--incremental", "true", "--mode",
        "overwrite"));
    assertMessage("unknown option --colour", concat(base, "--colour", "red"));
    assertMessage("option --bundle needs a value", "--input", "x", "--bundle");
  }

  @Test
  void partsAreOffByDefaultAndOnlyResumeOrOverwrite() {
    String[] base = {"--input", "x", "--output", "o", "--bundle", "b"};
    assertFalse(JobOptions.parse(base).parted());
    JobOptions o = JobOptions.parse(concat(base, "--parts", "16"));
    assertTrue(o.parted());
    assertEquals(16, o.parts());
    assertEquals(3, JobOptions.parse(concat(base, "--parts", "3", "--mode", "overwrite")).parts());
    assertMessage("--parts works with --mode errorifexists (resume an unfinished run) or "
        + "overwrite (start over), found --mode append", concat(base, "--parts", "2", "--mode",
        "append"));
    assertMessage("--parts must be an integer >= 0, found '-1'", concat(base, "--parts", "-1"));
    assertMessage("--parts must be at most 99999", concat(base, "--parts", "100000"));
  }

  @Test
  void configErrorsNameTheFileAndLine() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "input = x\nthis line has no equals sign\n");
    assertMessage(conf + ":2: expected key = value", "--config", conf.toString());
  }

  @Test
  void summaryGoesBesideTheOutputNotInsideIt() {
    assertEquals("s3a://b/scores_summary", ScoringJob.summaryDir("s3a://b/scores/"));
  }

  private static void assertMessage(String expected, String... args) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
