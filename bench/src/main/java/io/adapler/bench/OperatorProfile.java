package io.adapler.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
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
 * {@code ./bench.sh --profile [--rows N] [--eta-scale X] [--bundle DIR] [--baseline DIR]}.
 */
public final class OperatorProfile {
  private static final String USAGE = "usage: ./bench.sh --profile [--bundle DIR] [--baseline DIR]"
      + " [--data DIR] [--rows N (200)] [--warmup N (20)] [--eta-scale X (0)] [--seed N (1)]";

  private OperatorProfile() {}

  /**
   * Profiles both graphs and prints the table.
   *
   * @param args {@code --bundle}, {@code --baseline}, {@code --data}, {@code --rows} (default
   *     200), {@code --warmup} (default 20), {@code --eta-scale} (default 0), {@code --seed}
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
    f.done();
    ModelBundle bundle = BundleLoader.shared().load(bundleDir);
    BenchCorpus corpus = BenchCorpus.sample(data, rows + warmup, seed);
    int maxLength = bundle.manifest().tokenizer().maxLength();
    List<EncodedRow> encoded;
    try (BundleTokenizer tok = BundleTokenizer.open(bundle.tokenizerPath(),
        bundle.manifest().tokenizer())) {
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
