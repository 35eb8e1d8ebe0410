package io.adapler.bench;

import io.adapler.udf.tokenize.TextRow;
import java.util.List;

/**
 * One pass of the baseline: concurrent callers each run their share of the rows through the
 * {@link PlainGraph}, one row per call, tokenization included (as our runtime's passes include
 * it). The first pass checks every row's output shape.
 */
final class BaselineTrial implements Interleaved.Trial {
  private final PlainGraph graph;
  private final List<List<TextRow>> shares;
  private boolean checked;

  BaselineTrial(PlainGraph graph, List<List<TextRow>> shares) {
    this.graph = graph;
    this.shares = shares;
  }

  @Override
  public double seconds() throws Exception {
    boolean check = !checked;
    double s = Parallel.run(shares.size(), c -> {
      for (TextRow row : shares.get(c)) {
        PlainGraph.Call call = graph.run(row.text());
        if (check && (call.outputShape()[0] != 1 || call.outputShape()[1] != call.tokens())) {
          throw new IllegalStateException(graph.dir() + ": expected output [1, "
              + call.tokens() + ", hidden], found " + java.util.Arrays.toString(
                  call.outputShape()));
        }
      }
    });
    checked = true;
    return s;
  }

  /** Tokens of the rows as the baseline's tokenizer counts them (after truncation). */
  static long tokens(PlainGraph graph, List<TextRow> rows) {
    long n = 0;
    for (TextRow r : rows) {
      n += graph.tokens(r.text());
    }
    return n;
  }
}
