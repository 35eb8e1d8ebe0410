package io.adapler.udf.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.tokenize.EncodedRow;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one padded batch through the graph. All of a batch's tensors and its result are closed
 * in one try-with-resources; nothing native outlives the call.
 */
final class BatchExecutor {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  static final String ETA_SCALE = "eta_scale";
  static final String LOGITS = "logits";
  static final String LAYER_LENGTHS = "layer_lengths";
  static final String KEPT_POSITIONS = "kept_positions";
  static final String TOKEN_LAYERS = "token_layers";

  /**
   * One row's raw graph outputs. {@code kept} and {@code tokenLayers} are empty when not
   * requested; {@code tokenLayers} runs over the padded length.
   */
  record RawRow(float[] logits, long[] layerLengths, long[] kept, long[] tokenLayers) {}

  private final OrtEnvironment env;
  private final OrtSession session;
  private final long padId;
  private final StatsRecorder stats;

  BatchExecutor(OrtEnvironment env, OrtSession session, long padId, StatsRecorder stats) {
    this.env = env;
    this.stats = stats;
    this.session = session;
    this.padId = padId;
  }

  /**
   * Runs rows right-padded to {@code paddedLength}.
   *
   * @param keptPositions whether to fetch {@code kept_positions} too (the graph must have it);
   *     chosen per call, so that one session serves callers with and without rationales
   * @param tokenLayers whether to fetch {@code token_layers} too (the graph must have it)
   * @return one raw output per row, in the given order
   */
  List<RawRow> run(List<EncodedRow> rows, int paddedLength, float etaScale,
      boolean keptPositions, boolean tokenLayers) throws OrtException {
    long start = System.nanoTime();
    int b = rows.size();
    int t = paddedLength;
    LongBuffer ids = direct(b * t);
    LongBuffer mask = direct(b * t);
    LongBuffer types = direct(b * t);
    for (EncodedRow row : rows) {
      int n = row.length();
      ids.put(row.ids());
      types.put(row.typeIds());
      for (int j = 0; j < n; j++) {
        mask.put(1L);
      }
      for (int j = n; j < t; j++) {
        ids.put(padId);
        types.put(0L);
        mask.put(0L);
      }
    }
    ids.rewind();
    mask.rewind();
    types.rewind();
    long[] shape = {b, t};
    FloatBuffer eta = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer().put(0, etaScale);
    try (OnnxTensor idsT = OnnxTensor.createTensor(env, ids, shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, mask, shape);
        OnnxTensor typesT = OnnxTensor.createTensor(env, types, shape);
        OnnxTensor etaT = OnnxTensor.createTensor(env, eta, new long[0])) {
      Map<String, OnnxTensor> inputs = Map.of(INPUT_IDS, idsT, ATTENTION_MASK, maskT,
          TOKEN_TYPE_IDS, typesT, ETA_SCALE, etaT);
      long prepared = System.nanoTime();
      stats.prepared(prepared - start);
      Set<String> requested = new HashSet<>(List.of(LOGITS, LAYER_LENGTHS));
      if (keptPositions) {
        requested.add(KEPT_POSITIONS);
      }
      if (tokenLayers) {
        requested.add(TOKEN_LAYERS);
      }
      try (OrtSession.Result result = session.run(inputs, requested)) {
        long ran = System.nanoTime();
        stats.ran(ran - prepared);
        List<RawRow> out = rows(result, b, keptPositions, tokenLayers);
        stats.output(System.nanoTime() - ran);
        return out;
      }
    }
  }

  private static List<RawRow> rows(OrtSession.Result result, int b, boolean keptPositions,
      boolean tokenLayers) throws OrtException {
    float[][] logits = (float[][]) value(result, LOGITS, b);
    long[][] lengths = (long[][]) value(result, LAYER_LENGTHS, b);
    long[][] kept = keptPositions
        ? (long[][]) value(result, KEPT_POSITIONS, b)
        : null;
    long[][] layers = tokenLayers
        ? (long[][]) value(result, TOKEN_LAYERS, b)
        : null;
    List<RawRow> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      out.add(new RawRow(logits[i], lengths[i], kept == null ? new long[0] : kept[i],
          layers == null ? new long[0] : layers[i]));
    }
    return out;
  }

  private static Object value(OrtSession.Result result, String name, int batch)
      throws OrtException {
    OnnxValue v = result.get(name)
        .orElseThrow(() -> new IllegalStateException("the graph returned no output " + name));
    if (!(v instanceof OnnxTensor tensor) || tensor.getInfo().getShape().length != 2
        || tensor.getInfo().getShape()[0] != batch) {
      throw new IllegalStateException("output " + name + ": expected a [" + batch
          + ", n] tensor, found " + v.getInfo());
    }
    return tensor.getValue();
  }

  private static LongBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }
}
