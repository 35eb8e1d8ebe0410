package io.adapler.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.runtime.CpuThreading;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fair baseline: a plain BERT-family encoder graph (all-MiniLM-L6-v2 as published on Maven
 * Central, no CPs, every token through every layer) called the way Spark inference libraries
 * call a model: tokenize one row with the Hugging Face tokenizer, one {@code session.run} per
 * row, read the output. The session gets the same ONNX Runtime thread settings as our runtime
 * (one intra-op thread per caller by default) and is shared by the callers, as an executor's
 * task threads would share it.
 *
 * <p>Thread-safe: the tokenizer and the session both allow concurrent calls.
 */
final class PlainGraph implements AutoCloseable {
  /** Where {@code model/scripts/fetch_backbone.sh} puts the graph and its tokenizer. */
  static final Path DEFAULT_DIR = Path.of("build/backbones/all-minilm-l6-v2");

  private final HuggingFaceTokenizer tokenizer;
  private final OrtSession session;
  private final Path dir;
  private final int maxLength;
  private final boolean typeIds;
  private final String output;

  /**
   * Opens {@code dir/model.onnx} and {@code dir/tokenizer.json}.
   *
   * @param dir the backbone's directory
   * @param maxLength tokens per row after truncation, special tokens included (the bundle's)
   * @param threading ONNX Runtime threads, as our runtime's
   * @throws IllegalArgumentException when a file is missing, naming it and the fetch script
   */
  PlainGraph(Path dir, int maxLength, CpuThreading threading) throws IOException, OrtException {
    this(dir, maxLength, options(threading));
  }

  /** The graph with ONNX Runtime's profiler on ({@link #endProfiling()}), 1 intra-op thread. */
  static PlainGraph profiled(Path dir, int maxLength, Path profilePrefix)
      throws IOException, OrtException {
    return new PlainGraph(dir, maxLength, sessionOptions(profilePrefix));
  }

  /** Session options of a profiled run: 1 intra-op thread, sequential, every optimization. */
  static OrtSession.SessionOptions sessionOptions(Path profilePrefix) throws OrtException {
    OrtSession.SessionOptions so = options(CpuThreading.forCores(1));
    so.enableProfiling(profilePrefix.toString());
    return so;
  }

  /** Session options as our runtime's: these threads, sequential, every optimization. */
  static OrtSession.SessionOptions options(CpuThreading threading) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threading.intraOpThreads());
    so.setInterOpNumThreads(threading.interOpThreads());
    so.setExecutionMode(threading.parallelExecution()
        ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
        : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return so;
  }

  private PlainGraph(Path dir, int maxLength, OrtSession.SessionOptions options)
      throws IOException, OrtException {
    for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IllegalArgumentException("missing " + dir.resolve(f) + ": the baseline is the"
            + " plain all-MiniLM-L6-v2 graph; run model/scripts/fetch_backbone.sh (or give"
            + " --baseline DIR)");
      }
    }
    this.dir = dir;
    this.maxLength = maxLength;
    this.tokenizer = HuggingFaceTokenizer.builder(
            Map.of("modelMaxLength", String.valueOf(maxLength)))
        .optTokenizerPath(dir.resolve("tokenizer.json"))
        .optAddSpecialTokens(true).optTruncation(true).optMaxLength(maxLength)
        .optPadding(false).optWithOverflowingTokens(false).build();
    try (options) {
      this.session = OrtEnvironment.getEnvironment().createSession(
          dir.resolve("model.onnx").toString(), options);
    }
    Set<String> inputs = session.getInputNames();
    if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
      throw new IllegalArgumentException(dir.resolve("model.onnx") + ": expected inputs"
          + " input_ids and attention_mask, found " + inputs);
    }
    this.typeIds = inputs.contains("token_type_ids");
    this.output = session.getOutputNames().iterator().next();
  }

  /** What one call saw: the row's tokens and the shape of the graph's first output. */
  record Call(int tokens, long[] outputShape) {}

  /** Tokenizes one row and runs it alone through the graph. */
  Call run(String text) throws OrtException {
    return run(tokenizer.encode(text));
  }

  /** Tokenizes one row with the graph's tokenizer (for timing the graph alone). */
  Encoding encode(String text) {
    return tokenizer.encode(text);
  }

  /** Runs one tokenized row alone through the graph. */
  Call run(Encoding e) throws OrtException {
    long[] ids = e.getIds();
    long[] shape = {1, ids.length};
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
         OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(e.getAttentionMask()), shape);
         OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(e.getTypeIds()), shape)) {
      feed.put("input_ids", a);
      feed.put("attention_mask", b);
      if (typeIds) {
        feed.put("token_type_ids", c);
      }
      try (OrtSession.Result r = session.run(feed, Set.of(output))) {
        OnnxValue v = r.get(0);
        long[] outShape = ((OnnxTensor) v).getInfo().getShape();
        return new Call(ids.length, outShape);
      }
    }
  }

  /** Returns the tokens of a row after truncation, special tokens included. */
  int tokens(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  /** Ends profiling and returns the profile's file (a profiled graph only). */
  String endProfiling() throws OrtException {
    return session.endProfiling();
  }

  Path dir() {
    return dir;
  }

  int maxLength() {
    return maxLength;
  }

  String outputName() {
    return output;
  }

  @Override
  public void close() throws OrtException {
    session.close();
    tokenizer.close();
  }
}
