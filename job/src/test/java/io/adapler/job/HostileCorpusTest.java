package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile rows: each gets exactly one output row with the status it deserves, and
 * none of them takes the job down. A text column of the wrong type stops the job before any
 * output is written.
 */
class HostileCorpusTest {
  @TempDir static Path dir;
  static final Map<String, String> TEXTS = new LinkedHashMap<>();
  static final String MEGABYTE = "spam and ham ".repeat(80_000 + 1);

  static {
    TEXTS.put("null", null);
    TEXTS.put("empty", "");
    TEXTS.put("spaces", "     ");
    TEXTS.put("whitespace", "\t\n\r \u00a0\u2003");
    TEXTS.put("controls-only", "\u0000\u0001\u0007\u001b");
    TEXTS.put("controls-inside", "free\u0000 money\u0007 now\u001b!");
    TEXTS.put("megabyte", MEGABYTE);
    TEXTS.put("lone-surrogate", "broken \ud800 text \udfff here");
    TEXTS.put("combining", "e\u0301\u0301\u0301\u0301 a\u0308\u0308 zalgo");
    TEXTS.put("bidi", "\u202eevil\u202c \u200f\u200e mixed");
    TEXTS.put("zwj-emoji", "family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83c\udff3\ufe0f\u200d\ud83c\udf08");
    TEXTS.put("noncharacters", "\uffff\ufffe\ufdd0 odd");
    TEXTS.put("cjk-ext-b", "\ud840\udc00\ud840\udc01 rare han");
    TEXTS.put("normal", "Win a free cruise! Reply today.");
  }

  static Map<String, Row> out = new LinkedHashMap<>();

  static Path corpus() {
    List<Row> rows = new ArrayList<>();
    TEXTS.forEach((id, text) -> rows.add(RowFactory.create(id, text)));
    StructType schema = new StructType().add("key", DataTypes.StringType)
        .add("body", DataTypes.StringType);
    Path p = dir.resolve("hostile.parquet");
    JobTestSupport.spark().createDataFrame(rows, schema).repartition(2).write().mode("overwrite")
        .parquet(p.toString());
    return p;
  }

  static Map<String, Row> score(String... extra) {
    List<String> args = new ArrayList<>(List.of("--input", corpus().toString(), "--id-column",
        "key", "--text-column", "body", "--bundle", JobTestSupport.tinyBundle(), "--output",
        dir.resolve("out-" + extra.length).toString(), "--progress-seconds", "0"));
    args.addAll(List.of(extra));
    JobTestSupport.runOk(args.toArray(String[]::new));
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Row r : JobTestSupport.spark().read().parquet(dir.resolve("out-" + extra.length)
        .toString()).collectAsList()) {
      assertEquals(null, rows.put(r.getAs("id"), r), "duplicate id " + r.getAs("id"));
    }
    return rows;
  }

  @BeforeAll
  static void scoreHostileRows() {
    out = score();
  }

  @Test
  void everyRowComesBackExactlyOnce() {
    assertEquals(TEXTS.keySet(), out.keySet());
  }

  @Test
  void parquetOutputHasNoMalformedRecordColumn() {
    // Only the json and csv readers report malformed records; Parquet rows are typed.
    assertTrue(out.values().iterator().next().schema().getFieldIndex("malformed_record").isEmpty());
  }

  @Test
  void nullAndEmptyRowsGetTheirStatusAndNoPrediction() {
    assertEquals("NULL", out.get("null").getAs("status"));
    for (String id : List.of("empty", "spaces", "whitespace", "controls-only")) {
      assertEquals("EMPTY", out.get(id).getAs("status"), id);
      assertTrue(out.get(id).isNullAt(out.get(id).fieldIndex("label")), id);
      assertTrue(out.get(id).isNullAt(out.get(id).fieldIndex("layer_lengths")), id);
    }
  }

  @Test
  void aMegabyteTextIsTruncatedAndScored() {
    Row r = out.get("megabyte");
    assertEquals("OK", r.getAs("status"));
    assertEquals(true, r.getAs("truncated"));
    assertEquals(64, (int) r.getAs("input_length"));
  }

  @Test
  void oddUnicodeAndControlCharactersAreScored() {
    for (String id : List.of("controls-inside", "lone-surrogate", "combining", "bidi",
        "zwj-emoji", "noncharacters", "cjk-ext-b", "normal")) {
      Row r = out.get(id);
      assertEquals("OK", r.getAs("status"), id + ": " + r.getAs("error"));
      assertNotNull(r.getAs("label"), id);
    }
  }

  @Test
  void aTextOverTheCharacterLimitIsAnErrorForThatRowOnly() {
    Map<String, Row> limited = score("--max-text-chars", "500000");
    Row big = limited.get("megabyte");
    assertEquals("ERROR", big.getAs("status"));
    String error = big.getAs("error");
    assertTrue(error.contains("max-text-chars"), error);
    for (String id : TEXTS.keySet()) {
      if (!id.equals("megabyte")) {
        assertEquals((Object) out.get(id).getAs("status"), limited.get(id).getAs("status"), id);
      }
    }
  }

  /**
   * A bundle whose manifest claims a 3000-word vocabulary while its tokenizer knows 30522:
   * rows with a word piece id of 3000 or more are refused by the runtime's id check, and the
   * scorer narrows the failure down to exactly those rows.
   */
  @Test
  void rowsThatBreakTheirBatchAreIsolated() throws Exception {
    Path bundle = dir.resolve("narrow-vocab");
    Files.createDirectories(bundle);
    for (String f : List.of("model.onnx", "tokenizer.json", "adapler.json")) {
      Files.copy(Path.of(JobTestSupport.tinyBundle(), f), bundle.resolve(f));
    }
    Path manifest = bundle.resolve("adapler.json");
    Files.writeString(manifest, Files.readString(manifest)
        .replace("\"vocab_size\": 30522", "\"vocab_size\": 3000"));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {  // ids: the 1996, free 2489, money 2769, cruise 8592
      rows.add(RowFactory.create("r" + i, i % 10 == 3 ? "free cruise now" : "the free money"));
    }
    Path input = dir.resolve("batch-breakers.parquet");
    JobTestSupport.spark().createDataFrame(rows, new StructType().add("key", DataTypes.StringType)
        .add("body", DataTypes.StringType)).coalesce(1).write().parquet(input.toString());
    Path output = dir.resolve("out-isolated");
    JobTestSupport.runOk("--input", input.toString(), "--id-column", "key", "--text-column",
        "body", "--bundle", bundle.toString(), "--output", output.toString(),
        "--progress-seconds", "0");
    int errors = 0;
    for (Row r : JobTestSupport.spark().read().parquet(output.toString()).collectAsList()) {
      int i = Integer.parseInt(((String) r.getAs("id")).substring(1));
      if (i % 10 == 3) {
        assertEquals("ERROR", r.getAs("status"));
        String error = r.getAs("error");
        assertTrue(error.contains("expected id in [0, 3000)"), error);
        errors++;
      } else {
        assertEquals("OK", r.getAs("status"), (String) r.getAs("error"));
      }
    }
    assertEquals(4, errors);
  }

  @Test
  void aNonStringTextColumnFailsBeforeAnyTaskWithAClearMessage() {
    Path numbers = dir.resolve("numbers.parquet");
    JobTestSupport.spark().range(5).selectExpr("cast(id as string) as key", "id * 7 as body")
        .write().parquet(numbers.toString());
    JobTestSupport.Run r = JobTestSupport.run("--input", numbers.toString(), "--id-column", "key",
        "--text-column", "body", "--bundle", JobTestSupport.tinyBundle(), "--output",
        dir.resolve("never").toString());
    assertEquals(ScoringJob.EXIT_INPUT, r.exitCode(), r.err());
    assertTrue(r.err().contains("must be a string, found bigint"), r.err());
    assertTrue(Files.notExists(dir.resolve("never")));
  }
}
