package io.adapler.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.bundle.TokenizerSettings;
import io.adapler.udf.runtime.CpuThreading;
import io.adapler.udf.tokenize.BundleTokenizer;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a session's time goes, by operator: the bundle's graph at an eta scale and the plain
 * baseline graph, each run by ONNX Runtime's profiler on the same mails, one row per call, one
 * caller with one intra-op thread, calls alternating between the two. Prints milliseconds per row
 * for each operator type, each graph's time outside its kernels, and the tokens per row. Run by
 * {@code ./bench.sh --profile [--rows N] [--eta-scale X] [--bundle DIR] [--baseline DIR]}; with
 * {@code --max-length K} both graphs read only each mail's first K word pieces, which shows what
 * a call costs whatever its length (every call reads all the weights).
 */
public final class OperatorProfile {
  private static final String USAGE = "usage: ./bench.sh --profile [--bundle DIR] [--baseline DIR]"
      + " [--data DIR] [--rows N (200)] [--warmup N (20)] [--eta-scale X (0)] [--seed N (1)]"
      + " [--max-length K (the bundle's)]";

  private OperatorProfile() {}

  /**
   * Profiles both graphs and prints the table.
   *
   * @param args {@code --bundle}, {@code --baseline}, {@code --data}, {@code --rows} (default
   *     200), {@code --warmup} (default 20), {@code --eta-scale} (default 0), {@code --seed},
   *     {@code --max-length} (default: the bundle's)
   */
  public static void main(String[] args) throws Exception {
    Flags f = Flags.parse(args, USAGE);
    if (f == null) {
      System.out.println(USAGE);
      return;
    }
    int rows = f.integer("rows", 200, 1);
    int warmup = f.integer("warmup", 20, 0);
    float eta = f.number("eta-scale", 0f, 0f);
    String bundleDir = f.string("bundle", BenchSettings.DEFAULT_BUNDLE);
    Path baselineDir = f.path("baseline", PlainGraph.DEFAULT_DIR);
    Path data = f.path("data", Path.of("build/spam"));
    long seed = f.longInteger("seed", 1);
    ModelBundle bundle = BundleLoader.shared().load(bundleDir);
    TokenizerSettings settings = bundle.manifest().tokenizer();
    int maxLength = f.integer("max-length", settings.maxLength(), 2, settings.maxLength());
    f.done();
    BenchCorpus corpus = BenchCorpus.sample(data, rows + warmup, seed);
    List<EncodedRow> encoded;
    try (BundleTokenizer tok = BundleTokenizer.open(bundle.tokenizerPath(),
        withMaxLength(settings, maxLength))) {
      encoded = tok.encode(corpus.texts());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Path dir = Path.of("build/bench/profile");
    Files.createDirectories(dir);
    try (OrtSession ours = open(env, bundle.modelPath(), dir.resolve("bundle"));
         PlainGraph plain = PlainGraph.profiled(baselineDir, maxLength, dir.resolve("plain"))) {
      List<TextRow> texts = corpus.texts();
      for (int i = 0; i < texts.size(); i++) {
        runBundle(env, ours, encoded.get(i), eta);
        plain.run(texts.get(i).text());
      }
      ProfileSummary a = ProfileSummary.read(Path.of(ours.endProfiling()), warmup);
      ProfileSummary b = ProfileSummary.read(Path.of(plain.endProfiling()), warmup);
      double tokens = encoded.subList(warmup, encoded.size()).stream()
          .mapToInt(EncodedRow::length).average().orElse(0);
      System.out.printf("%s at eta_scale %s against %s, max length %d: %d mails (%.1f tokens per"
          + " row on average) after %d warm-up rows, one row per call, 1 thread%n%n",
          bundle.label(), eta, baselineDir, maxLength, rows, tokens, warmup);
      System.out.print(ProfileSummary.table(a, b));
    }
    // The profiler adds a cost to every node; the same calls without it, for whole-call times.
    try (OrtSession.SessionOptions so = PlainGraph.options(CpuThreading.forCores(1));
         OrtSession ours = env.createSession(bundle.modelPath().toString(), so);
         PlainGraph plain = new PlainGraph(baselineDir, maxLength, CpuThreading.forCores(1))) {
      List<TextRow> texts = corpus.texts();
      long oursNanos = 0;
      long plainNanos = 0;
      for (int i = 0; i < texts.size(); i++) {
        Encoding e = plain.encode(texts.get(i).text());
        long t0 = System.nanoTime();
        runBundle(env, ours, encoded.get(i), eta);
        long t1 = System.nanoTime();
        plain.run(e);
        long t2 = System.nanoTime();
        if (i >= warmup) {
          oursNanos += t1 - t0;
          plainNanos += t2 - t1;
        }
      }
      System.out.printf("%nWithout the profiler, the same calls: bundle %.3f ms per row, plain graph"
          + " %.3f ms per row (plain over bundle %.3f)%n", oursNanos / 1e6 / rows,
          plainNanos / 1e6 / rows, (double) plainNanos / oursNanos);
    }
  }

  private static TokenizerSettings withMaxLength(TokenizerSettings s, int maxLength) {
    return new TokenizerSettings(s.file(), maxLength, s.truncation(), s.lowerCase(),
        s.pairInputs(), s.clsTokenId(), s.sepTokenId(), s.padTokenId());
  }

  private static OrtSession open(OrtEnvironment env, Path model, Path profilePrefix)
      throws OrtException {
    try (OrtSession.SessionOptions so = PlainGraph.sessionOptions(profilePrefix)) {
      return env.createSession(model.toString(), so);
    }
  }

  private static void runBundle(OrtEnvironment env, OrtSession session, EncodedRow row, float eta)
      throws OrtException {
    long[] shape = {1, row.length()};
    long[] mask = new long[row.length()];
    Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> feed = new HashMap<>();
    List<OnnxTensor> open = new ArrayList<>();
    try {
      open.add(OnnxTensor.createTensor(env, LongBuffer.wrap(row.ids()), shape));
      open.add(OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      open.add(OnnxTensor.createTensor(env, LongBuffer.wrap(row.typeIds()), shape));
      open.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {eta}), new long[0]));
      feed.put("input_ids", open.get(0));
      feed.put("attention_mask", open.get(1));
      feed.put("token_type_ids", open.get(2));
      feed.put("eta_scale", open.get(3));
      try (OrtSession.Result r = session.run(feed, Set.of("logits", "layer_lengths"))) {
        r.get(0);
      }
    } finally {
      for (OnnxTensor t : open) {
        t.close();
      }
    }
  }

}
