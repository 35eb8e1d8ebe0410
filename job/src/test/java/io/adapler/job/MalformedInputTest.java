package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that Spark's json and csv readers cannot parse come out as ERROR rows that say so,
 * with an id and the raw record, and are counted apart in the summary; the well-formed rows
 * around them are scored as usual. Everything is read back from the job's real output.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MalformedInputTest {
  @TempDir static Path dir;

  /** What one run wrote: the rows by id, the columns and the summary. */
  record Output(Map<String, Row> rows, List<String> columns, JsonNode summary,
      JobTestSupport.Run run) {}

  static Output score(Path input, String format, String... extra) throws Exception {
    Path out = dir.resolve("out-" + input.getFileName());
    List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--input-format",
        format, "--bundle", JobTestSupport.tinyBundle(), "--output", out.toString(),
        "--progress-seconds", "0"));
    args.addAll(List.of(extra));
    JobTestSupport.Run run = JobTestSupport.runOk(args.toArray(String[]::new));
    var written = JobTestSupport.spark().read().parquet(out.toString());
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Row r : written.collectAsList()) {
      String id = r.getAs("id");
      assertNotNull(id, () -> "a row without an id: " + r);
      assertNull(rows.put(id, r), "duplicate id " + id);
    }
    JsonNode summary = new ObjectMapper().readTree(Files.readString(
        Path.of(ScoringJob.summaryDir(out.toString()), "summary.json")));
    return new Output(rows, List.of(written.columns()), summary, run);
  }

  static void assertMalformed(Row r, String format, String raw) {
    assertEquals("ERROR", r.getAs("status"));
    assertEquals("malformed input record (" + format + "): Spark's " + format + " reader could "
        + "not parse it; the raw record is in column malformed_record", r.getAs("error"));
    assertEquals(raw, r.getAs("malformed_record"));
    assertNull(r.getAs("label"));
    assertNull(r.getAs("layer_lengths"));
  }

  static void assertWellFormed(Row r, String status) {
    assertEquals(status, r.getAs("status"), () -> String.valueOf(r.getAs("error")));
    assertNull(r.getAs("malformed_record"));
  }

  static void assertCounts(JsonNode s, long rows, long ok, long nulls, long errors,
      long malformed) {
    assertEquals(rows, s.get("rows").asLong());
    assertEquals(ok, s.get("statusCounts").get("OK").asLong());
    assertEquals(0, s.get("statusCounts").get("EMPTY").asLong());
    assertEquals(nulls, s.get("statusCounts").get("NULL").asLong());
    assertEquals(errors, s.get("statusCounts").get("ERROR").asLong());
    assertEquals(malformed, s.get("malformedRecords").asLong());
  }

  /**
   * A truncated record, a record with invalid UTF-8 bytes and a line that is not an object are
   * malformed to Spark; a numeric id is read as a string, and a null text in a well-formed
   * record stays NULL.
   */
  @Test
  void jsonRecordsSparkCannotParseAreErrorsWithTheirRawRecord() throws Exception {
    String truncated = "{\"id\": \"b\", \"text\": \"Win a free cru";
    byte[] invalid = {'{', '"', 'i', 'd', '"', ':', '"', 'c', '"', ',', '"', 't', 'e', 'x', 't',
        '"', ':', '"', 'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, ' ', 'b', 'y',
        't', 'e', 's', '"', '}'};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String line : List.of("{\"id\": \"a\", \"text\": \"Win a free cruise now\"}",
        truncated)) {
      bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    bytes.writeBytes(invalid);
    bytes.write('\n');
    for (String line : List.of("[\"not\", \"an object\"]", "{\"id\": \"d\", \"text\": null}",
        "{\"id\": 5, \"text\": \"the meeting is at noon\"}",
        "{\"id\": \"e\", \"text\": \"bye\"}")) {
      bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Path input = dir.resolve("broken.jsonl");
    Files.write(input, bytes.toByteArray());

    Output out = score(input, "json", "--id-column", "id");

    // One row per line; the malformed ones lost their id with the rest of the record, so they
    // get one from the file and their position, as generated ids are.
    assertEquals(List.of("a", "broken.jsonl:1", "broken.jsonl:2", "broken.jsonl:3", "d", "5",
        "e").stream()
        .sorted().toList(), out.rows().keySet().stream().sorted().toList());
    assertMalformed(out.rows().get("broken.jsonl:1"), "json", truncated);
    // Spark decodes the line with replacement characters, as Java's UTF-8 decoder does.
    assertMalformed(out.rows().get("broken.jsonl:2"), "json",
        new String(invalid, StandardCharsets.UTF_8));
    assertTrue(((String) out.rows().get("broken.jsonl:2").getAs("malformed_record"))
        .contains("bad \ufffd"));
    assertMalformed(out.rows().get("broken.jsonl:3"), "json", "[\"not\", \"an object\"]");
    assertWellFormed(out.rows().get("d"), "NULL");
    for (String id : List.of("a", "5", "e")) {
      assertWellFormed(out.rows().get(id), "OK");
      assertNotNull(out.rows().get(id).getAs("label"));
    }
    assertEquals("malformed_record", out.columns().get(out.columns().size() - 1));
    assertCounts(out.summary(), 7, 3, 1, 3, 3);
    assertTrue(out.run().out().contains("malformed        3"), out.run().out());
    String html = Files.readString(Path.of(ScoringJob.summaryDir(dir.resolve("out-broken.jsonl")
        .toString()), "summary.html"));
    assertTrue(html.contains("malformed records (among ERROR)</td><td>3<"), html);
  }

  /**
   * Rows with too many or too few fields are malformed to Spark's csv reader (which keeps the
   * fields it could place, so an id that was read stays the row's id); a quoted field with a
   * comma and an empty text are well-formed.
   */
  @Test
  void csvRowsWithTheWrongNumberOfFieldsAreErrorsWithTheirRawRecord() throws Exception {
    Path input = dir.resolve("broken.csv");
    Files.writeString(input, "id,text,source\n"
        + "1,Win a free cruise now,web\n"
        + "2,too,many,fields\n"
        + "3\n"
        + ",no id,and,too many\n"
        + "4,\"quoted, with a comma\",mail\n"
        + "5,,mail\n");

    Output out = score(input, "csv", "--id-column", "id", "--pass-through", "source");

    assertEquals(List.of("1", "2", "3", "4", "5", "broken.csv:3"),
        out.rows().keySet().stream().sorted().toList());
    assertMalformed(out.rows().get("2"), "csv", "2,too,many,fields");
    assertMalformed(out.rows().get("3"), "csv", "3");
    assertMalformed(out.rows().get("broken.csv:3"), "csv", ",no id,and,too many");
    assertWellFormed(out.rows().get("1"), "OK");
    assertWellFormed(out.rows().get("4"), "OK");
    assertEquals("mail", out.rows().get("4").getAs("source"));
    assertWellFormed(out.rows().get("5"), "NULL");  // csv reads an empty field as null
    assertEquals(List.of("id", "source", "label", "label_index", "probabilities",
        "input_length", "layer_lengths", "flops_speedup", "truncated", "status", "error",
        "malformed_record"), out.columns());
    assertCounts(out.summary(), 6, 2, 1, 3, 3);
  }

  /** With generated ids every row, malformed or not, is named by its file and position. */
  @Test
  void generatedIdsNameMalformedRowsToo() throws Exception {
    Path input = dir.resolve("generated.csv");
    Files.writeString(input, "text\nhello there\n\"a\",\"b\"\nfree money\n");
    Output out = score(input, "csv");
    assertEquals(List.of("generated.csv:0", "generated.csv:1", "generated.csv:2"),
        out.rows().keySet().stream().sorted().toList());
    assertMalformed(out.rows().get("generated.csv:1"), "csv", "\"a\",\"b\"");
    assertWellFormed(out.rows().get("generated.csv:2"), "OK");
    assertCounts(out.summary(), 3, 2, 0, 1, 1);
  }

  /**
   * What Spark does NOT mark: in multiLine mode (which the job uses for csv, so that quoted
   * texts may span lines) a quote that is never closed swallows the rest of the file into that
   * field. The row is well-formed to Spark and scored; the lines after it have no rows.
   */
  @Test
  void anUnterminatedCsvQuoteSwallowsTheRestOfTheFile() throws Exception {
    Path input = dir.resolve("unterminated.csv");
    Files.writeString(input, "id,text\n1,fine\n2,\"never closed\n3,after\n4,end\n");
    Output out = score(input, "csv", "--id-column", "id");
    assertEquals(List.of("1", "2"), out.rows().keySet().stream().sorted().toList());
    assertWellFormed(out.rows().get("2"), "OK");
    assertCounts(out.summary(), 2, 2, 0, 0, 0);
  }
}
