package io.adapler.udf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Locates the tiny random fixture bundle ({@code samples/models/tiny-random}) and its goldens. */
public final class TinyBundle {
  private static final String RELATIVE = "samples/models/tiny-random";
  private static final String INT8 = "samples/models/tiny-random-int8";
  private static List<GoldenRow> goldens;

  private TinyBundle() {}

  /**
   * Returns the fixture directory, found by walking up from the working directory (Maven runs
   * module tests in {@code udf/}). Fails loudly, naming the path, when it is missing.
   */
  public static Path dir() {
    return find(RELATIVE);
  }

  /**
   * Returns the int8 variant of the fixture ({@code samples/models/tiny-random-int8}: the same
   * model with int8 linears, fp16-stored), whose float32 reference is {@link #goldens()}.
   */
  public static Path int8Dir() {
    return find(INT8);
  }

  private static Path find(String relative) {
    Path p = Paths.get("").toAbsolutePath();
    for (Path at = p; at != null; at = at.getParent()) {
      Path candidate = at.resolve(relative);
      if (Files.isRegularFile(candidate.resolve("adapler.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("fixture bundle " + relative + "/adapler.json not found in "
        + p + " or any parent; generate it with model/scripts/make-tiny-bundle.sh");
  }

  /** Returns every golden row of the fixture, parsed once. */
  public static synchronized List<GoldenRow> goldens() {
    if (goldens == null) {
      goldens = List.copyOf(read(dir().resolve("golden.jsonl")));
    }
    return goldens;
  }

  private static List<GoldenRow> read(Path file) {
    ObjectMapper json = new ObjectMapper();
    List<GoldenRow> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        List<GoldenRow.Run> runs = new ArrayList<>();
        for (JsonNode r : n.get("runs")) {
          runs.add(new GoldenRow.Run((float) r.get("eta_scale").asDouble(),
              floats(r.get("logits")), ints(r.get("layer_lengths")),
              ints(r.get("kept_positions")), ints(r.get("token_layers"))));
        }
        JsonNode pair = n.get("text_pair");
        rows.add(new GoldenRow(n.get("id").asInt(), n.get("text").asText(),
            pair == null || pair.isNull() ? null : pair.asText(), longs(n.get("input_ids")),
            longs(n.get("token_type_ids")), n.get("truncated").asBoolean(),
            n.get("input_length").asInt(), List.copyOf(runs)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read goldens " + file, e);
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("no golden rows in " + file);
    }
    return rows;
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
