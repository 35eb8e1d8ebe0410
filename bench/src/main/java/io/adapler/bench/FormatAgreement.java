package io.adapler.bench;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whether a second export of a model (int8) decides like the first (fp32) on labelled rows:
 * per eta scale, each bundle's accuracy and FLOPs speedup, and the rows whose six layer
 * lengths are all equal and whose labels are equal. Not timed; run by
 * {@code ./bench.sh --agreement REFERENCE OTHER [JSONL [ETA_SCALES]]}.
 */
public final class FormatAgreement {
  private FormatAgreement() {}

  /**
   * Prints one line per eta scale.
   *
   * @param args reference bundle, other bundle, labelled JSON Lines (text, label; default the
   *     spam test split), comma-separated eta scales (default 0,0.9,1)
   */
  public static void main(String[] args) throws Exception {
    String usage = "usage: ./bench.sh --agreement REFERENCE_BUNDLE OTHER_BUNDLE"
        + " [LABELLED_JSONL [ETA_SCALES]]";
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(usage);
      return;
    }
    if (args.length < 2 || args.length > 4) {
      System.err.println("expected 2 to 4 arguments, found " + args.length + "\n" + usage);
      System.exit(2);
    }
    Path rowsFile = Path.of(args.length > 2 ? args[2] : "build/spam/test.jsonl");
    String[] scales = (args.length > 3 ? args[3] : "0,0.9,1").split(",");
    List<TextRow> rows = new ArrayList<>();
    List<String> gold = new ArrayList<>();
    for (String[] r : BenchCorpus.fields(rowsFile, "text", "label")) {
      rows.add(TextRow.of(r[0]));
      gold.add(r[1]);
    }
    BundleLoader loader = BundleLoader.shared();
    try (AdaplerRuntime ref = AdaplerRuntime.open(loader.load(args[0]), RuntimeOptions.defaults());
         AdaplerRuntime other = AdaplerRuntime.open(loader.load(args[1]),
             RuntimeOptions.defaults())) {
      System.out.printf("%d rows of %s; reference %s, other %s%n", rows.size(), rowsFile,
          args[0], args[1]);
      for (String scale : scales) {
        float eta = Float.parseFloat(scale.strip());
        System.out.println(line(eta, rows.size(), gold, ref.score(rows, eta),
            other.score(rows, eta)));
      }
    }
  }

  /** One eta scale's figures. */
  static String line(float eta, int n, List<String> gold, List<RowResult> a, List<RowResult> b) {
    int rightA = 0;
    int rightB = 0;
    int sameLengths = 0;
    int sameLabels = 0;
    double full = 0;
    double adaptiveA = 0;
    double adaptiveB = 0;
    for (int r = 0; r < n; r++) {
      RowResult x = a.get(r);
      RowResult y = b.get(r);
      rightA += x.label().equals(gold.get(r)) ? 1 : 0;
      rightB += y.label().equals(gold.get(r)) ? 1 : 0;
      sameLengths += Arrays.equals(x.layerLengths(), y.layerLengths()) ? 1 : 0;
      sameLabels += x.label().equals(y.label()) ? 1 : 0;
      full += x.fullFlops();
      adaptiveA += x.adaptiveFlops();
      adaptiveB += y.adaptiveFlops();
    }
    return String.format(Locale.ROOT, "eta_scale %.2f: accuracy %.4f (reference) %.4f (other);"
        + " layer lengths all equal on %d/%d rows (%.1f%%); labels equal on %d/%d;"
        + " FLOPs speedup %.2fx / %.2fx", eta, rightA / (double) n, rightB / (double) n,
        sameLengths, n, 100.0 * sameLengths / n, sameLabels, n, full / adaptiveA,
        full / adaptiveB);
  }
}
