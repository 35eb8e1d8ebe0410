package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.spark.ScoredColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rationale column through the whole job: the tiny bundle's golden texts (singles and
 * pairs) come out with the reference's kept positions, less [CLS] and [SEP], as word pieces
 * whose offsets slice the text; rows that are not OK have none; without the option the
 * column is absent, in the same JVM and so from the same shared runtime.
 */
class RationaleJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static List<JsonNode> goldens;
  /** Token id to word piece, read from the bundle's tokenizer.json, not from the runtime. */
  static Map<Long, String> vocab;

  @BeforeAll
  static void read() throws Exception {
    goldens = GoldenJobTest.goldens();
    JsonNode tok = JSON.readTree(Path.of(JobTestSupport.tinyBundle()).resolve("tokenizer.json")
        .toFile());
    vocab = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tok.get("model").get("vocab").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      vocab.put(e.getValue().asLong(), e.getKey());
    }
  }

  /** The golden singles or pairs as JSON lines, plus one row whose text is null. */
  static Path corpus(boolean pairs) throws Exception {
    List<String> lines = new ArrayList<>();
    for (JsonNode g : goldens) {
      if (g.get("text_pair").isNull() == pairs) {
        continue;
      }
      ObjectNode o = JSON.createObjectNode().put("id", "g" + g.get("id").asInt())
          .put("text", g.get("text").asText());
      if (pairs) {
        o.put("text_pair", g.get("text_pair").asText());
      }
      lines.add(JSON.writeValueAsString(o));
    }
    lines.add(pairs ? "{\"id\": \"null\", \"text_pair\": \"x\"}" : "{\"id\": \"null\"}");
    Path file = dir.resolve(pairs ? "pairs.jsonl" : "singles.jsonl");
    Files.write(file, lines);
    return file;
  }

  static Map<String, Row> run(float eta, boolean pairs, boolean rationales) throws Exception {
    String output = dir.resolve("out-" + eta + "-" + pairs + "-" + rationales).toString();
    List<String> args = new ArrayList<>(List.of("--input", corpus(pairs).toString(),
        "--input-format", "json", "--id-column", "id", "--bundle", JobTestSupport.tinyBundle(),
        "--output", output, "--mode", "overwrite", "--eta-scale", Float.toString(eta), "--partitions", "2",
        "--max-batch-rows", "7", "--summary", "false", "--progress-seconds", "0"));
    if (rationales) {
      args.addAll(List.of("--rationales", "true"));
    }
    if (pairs) {
      args.addAll(List.of("--pair-column", "text_pair"));
    }
    JobTestSupport.runOk(args.toArray(String[]::new));
    Map<String, Row> out = new HashMap<>();
    JobTestSupport.spark().read().parquet(output).collectAsList()
        .forEach(r -> out.put(r.getAs("id"), r));
    return out;
  }

  @ParameterizedTest
  @ValueSource(floats = {1f, 2f})
  void rationaleIsTheGoldenKeptWordPiecesWithOffsetsIntoTheText(float eta) throws Exception {
    int ok = 0;
    int pieces = 0;
    for (boolean pairs : new boolean[] {false, true}) {
      Map<String, Row> out = run(eta, pairs, true);
      Row nullRow = out.get("null");
      assertEquals("NULL", nullRow.getAs("status"));
      assertNull(nullRow.get(nullRow.fieldIndex(ScoredColumns.RATIONALE)));
      for (JsonNode g : goldens) {
        if (g.get("text_pair").isNull() == pairs) {
          continue;
        }
        Row r = out.get("g" + g.get("id").asInt());
        if (!"OK".equals(r.getAs("status"))) {
          assertEquals("EMPTY", r.getAs("status"), g.toString());
          assertNull(r.get(r.fieldIndex(ScoredColumns.RATIONALE)));
          continue;
        }
        List<Row> rationale = r.getList(r.fieldIndex(ScoredColumns.RATIONALE));
        List<String> expected = new ArrayList<>();
        List<Integer> segments = new ArrayList<>();
        JsonNode ids = g.get("input_ids");
        for (JsonNode p : goldenRun(g, eta).get("kept_positions")) {
          String piece = vocab.get(ids.get(p.asInt()).asLong());
          if (!piece.equals("[CLS]") && !piece.equals("[SEP]")) {
            expected.add(piece);
            segments.add(g.get("token_type_ids").get(p.asInt()).asInt());
          }
        }
        String where = "row " + g.get("id") + " at eta_scale " + eta;
        assertEquals(expected, rationale.stream().map(t -> (String) t.getAs("token")).toList(),
            where);
        assertEquals(segments, rationale.stream().map(t -> (Integer) t.getAs("segment"))
            .toList(), where);
        for (Row t : rationale) {
          String source = (int) t.getAs("segment") == 0 ? g.get("text").asText()
              : g.get("text_pair").asText();
          int start = t.getAs("start");
          int end = t.getAs("end");
          assertTrue(0 <= start && start < end && end <= source.length(), where + " " + t);
          String token = t.getAs("token");
          String piece = token.startsWith("##") ? token.substring(2) : token;
          if (!piece.equals("[UNK]")) {
            // contains, not equals: a piece may be part of a character (Hangul splits to jamo)
            String span = fold(source.substring(start, end));
            assertTrue(span.contains(piece), where + " " + t + " vs '" + span + "'");
          }
          pieces++;
        }
        ok++;
      }
    }
    assertTrue(ok >= 300, "OK rows " + ok);
    // The tiny random model keeps 1168 non-special pieces of the goldens at eta_scale 1, 2 at 2.
    assertTrue(pieces >= (eta == 1f ? 1000 : 1), "rationale pieces " + pieces);
  }

  @Test
  void withoutTheOptionTheColumnIsAbsentAndTheScoresAreTheSame() throws Exception {
    Map<String, Row> on = run(1f, false, true);
    Map<String, Row> off = run(1f, false, false);
    Row any = off.values().iterator().next();
    assertFalse(List.of(any.schema().fieldNames()).contains(ScoredColumns.RATIONALE));
    assertEquals(any.schema().fieldNames().length + 1, on.get("g2").schema().fieldNames().length);
    for (Map.Entry<String, Row> e : off.entrySet()) {
      Row with = on.get(e.getKey());
      assertEquals(e.getValue().<Object>getAs("status"), with.getAs("status"));
      assertEquals(e.getValue().<Object>getAs("label"), with.getAs("label"));
      assertEquals(e.getValue().getList(e.getValue().fieldIndex("layer_lengths")),
          with.getList(with.fieldIndex("layer_lengths")));
    }
  }

  private static JsonNode goldenRun(JsonNode golden, float eta) {
    for (JsonNode run : golden.get("runs")) {
      if (run.get("eta_scale").floatValue() == eta) {
        return run;
      }
    }
    throw new IllegalStateException("golden row " + golden.get("id") + " has no run at " + eta);
  }

  private static String fold(String s) {
    return Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
  }
}
