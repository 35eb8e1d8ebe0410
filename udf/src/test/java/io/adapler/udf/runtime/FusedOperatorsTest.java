package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.GraphFormat;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators ONNX Runtime actually runs for the fused fp32 fixture and its int8 variant,
 * read from the session profiler (one event per executed node), with the runtime's own session
 * settings: residual Add + LayerNorm ran as SkipLayerNormalization, bias + GELU as BiasGelu, each
 * layer's self-attention (packed Q/K/V projection included) as one Attention operator reading the
 * compacted token mask, the int8 bundle's Q/K/V as one MatMul per layer, and its linears as MatMulIntegerToFloat fed by per-token
 * (per-axis) QuantizeLinear, with no per-tensor dynamic quantization (which would make a row's
 * result depend on its batch).
 */
class FusedOperatorsTest {
  private static final int LAYERS = 3;

  @TempDir Path dir;

  @Test
  void fusedFp32BundleRunsTheFusedOperators() throws Exception {
    Map<String, Integer> ops = executedOperators(TinyBundle.dir(), "fp32");
    // residual + LayerNorm twice per layer, and the embeddings' sum + LayerNorm
    assertEquals(2 * LAYERS + 1, ops.getOrDefault("SkipLayerNormalization", 0), ops.toString());
    assertEquals(0, ops.getOrDefault("LayerNormalization", 0), ops.toString());
    assertEquals(2 * LAYERS, ops.getOrDefault("BiasGelu", 0), "FFN + CP per layer " + ops);
    assertEquals(LAYERS, ops.getOrDefault("Attention", 0), "one attention per layer " + ops);
    assertEquals(LAYERS, ops.getOrDefault("Softmax", 0), "the CPs' only " + ops);
    assertEquals(0, ops.getOrDefault("Erf", 0), ops.toString());
    assertEquals(0, ops.getOrDefault("FusedMatMul", 0), "Q x K^T is in Attention " + ops);
    // per layer: attention output, FFN in, FFN out, CP dense, CP score
    assertEquals(5 * LAYERS, ops.getOrDefault("MatMul", 0), ops.toString());
  }

  @Test
  void int8BundleRunsIntegerMatMulsWithPerTokenScales() throws Exception {
    Map<String, Integer> ops = executedOperators(TinyBundle.int8Dir(), "int8");
    assertEquals(4 * LAYERS, ops.getOrDefault("MatMulIntegerToFloat", 0), "QKV, attention output,"
        + " FFN in and out per layer " + ops);
    // one per-axis (per-token) QuantizeLinear per distinct linear input; Q, K and V share one
    assertEquals(4 * LAYERS, ops.getOrDefault("QuantizeLinear", 0), ops.toString());
    assertEquals(2 * LAYERS + 1, ops.getOrDefault("SkipLayerNormalization", 0), ops.toString());
    assertEquals(2 * LAYERS, ops.getOrDefault("BiasGelu", 0), ops.toString());
    // float MatMuls left: scores x V and the CP's two per layer (Q x K^T runs as FusedMatMul)
    assertEquals(3 * LAYERS, ops.getOrDefault("MatMul", 0), ops.toString());
    // operators that compute one activation scale over the whole batch tensor
    for (String perTensor : List.of("DynamicQuantizeLinear", "DynamicQuantizeMatMul",
        "QAttention", "MatMulInteger")) {
      assertEquals(0, ops.getOrDefault(perTensor, 0), perTensor + " in " + ops);
    }
  }

  /** Opens the bundle as the runtime does, runs one batch, returns {op type: nodes run}. */
  private Map<String, Integer> executedOperators(Path bundleDir, String tag) throws Exception {
    ModelBundle bundle = new BundleLoader(dir.resolve("cache")).load(bundleDir.toString());
    assertEquals(tag.equals("int8"), bundle.manifest().graph().format().int8());
    assertTrue(bundle.manifest().graph().format().fused().size() >= 3,
        "fusions declared in " + bundleDir + "/adapler.json");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path optimized = dir.resolve(tag + "-optimized.onnx");
    String profile;
    try (SessionOptions so = new SessionOptions()) {
      SessionOpener.configure(so, RuntimeOptions.defaults(), Device.cpu());
      so.setOptimizedModelFilePath(optimized.toString());
      so.enableProfiling(dir.resolve(tag + "-profile").toString());
      try (OrtSession session = env.createSession(bundle.modelPath().toString(), so)) {
        List<GoldenRow> rows = TinyBundle.goldens().subList(20, 24);
        int len = rows.stream().mapToInt(r -> r.inputIds().length).max().orElseThrow();
        long[][] ids = new long[rows.size()][len];
        long[][] mask = new long[rows.size()][len];
        long[][] types = new long[rows.size()][len];
        for (int i = 0; i < rows.size(); i++) {
          long[] r = rows.get(i).inputIds();
          System.arraycopy(r, 0, ids[i], 0, r.length);
          System.arraycopy(rows.get(i).tokenTypeIds(), 0, types[i], 0, r.length);
          Arrays.fill(mask[i], 0, r.length, 1L);
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
             OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, types);
             OnnxTensor e = OnnxTensor.createTensor(env, 1f);
             OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", b,
                 "token_type_ids", c, "eta_scale", e))) {
          assertTrue(r.get("logits").isPresent());
        }
        profile = session.endProfiling();
      }
    }
    assertTrue(Files.size(optimized) > 0, "optimized model written to " + optimized);
    JsonNode events = new ObjectMapper().readTree(Path.of(profile).toFile());
    Map<String, Set<String>> nodes = new HashMap<>();
    for (JsonNode ev : events) {
      String name = ev.path("name").asText();
      if ("Node".equals(ev.path("cat").asText()) && name.endsWith("_kernel_time")) {
        nodes.computeIfAbsent(ev.path("args").path("op_name").asText(), k -> new HashSet<>())
            .add(name);
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    nodes.forEach((op, names) -> counts.put(op, names.size()));
    assertTrue(counts.size() > 10, "profile " + profile + " lists too few operators: " + counts);
    return counts;
  }
}
