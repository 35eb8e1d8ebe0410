package io.adapler.udf.flops;

import io.adapler.udf.bundle.ModelGeometry;

/**
 * FLOPs of one row through the full BERT classifier and through AdapLeR, derived from the
 * model's geometry: hidden size H, feed-forward size I, layers L, heads A, Contribution Predictor
 * width W and classes C. A multiply-add counts as 2 FLOPs.
 *
 * <p>Per encoder layer on m tokens:
 *
 * <ul>
 *   <li>quadratic: {@code (4H + 7A) m^2}: scores and weighted values (2 x 2Hm^2), plus scaling
 *       and softmax (7 per score and head);
 *   <li>linear: {@code (8H^2 + 4HI + 9H + 7I) m}: Q, K, V and output projections (8H^2), the
 *       feed-forward pair (4HI), biases (5H + I), GELU (6I), residual adds (2H) and layer norms
 *       (2H).
 * </ul>
 *
 * <p>Embeddings cost {@code 8H + 8} per token, a Contribution Predictor {@code 2HW + 9W + 1} per
 * token it scores (W1, its bias and GELU, the dot with w2 and its bias), the head {@code 2H^2 +
 * 2H} (pooler dense, bias, tanh) plus {@code (2H + 1) C} (classifier).
 *
 * <p>Full BERT on n tokens: {@code n (8H + 8) + L layer(n) + head}. AdapLeR with layer lengths
 * {@code len_0..len_{L-1}}: {@code len_0 (8H + 8) + sum_l [layer(len_l) + CP(len_l)] + head},
 * charging the embeddings and each layer's Contribution Predictor to the tokens that layer
 * processes, as the authors' fitted formulas do, so speedups compare with the paper's. For
 * BERT-base (H 768, I 3072, L 12, A 12, W 32) this reproduces the authors' coefficients (37872
 * n^2 + 170216500 n + ..., and 3156 len^2 + 14233554 len per layer) to within 0.01%.
 *
 * <p>Immutable and thread-safe.
 */
public final class FlopsModel {
  private final int layers;
  private final int classes;
  private final double quadratic;
  private final double linear;
  private final double embedding;
  private final double predictor;
  private final double head;

  /**
   * Creates the model for a geometry.
   *
   * @param layers L
   * @param hidden H
   * @param intermediate I
   * @param heads A
   * @param cpWidth W
   * @param classes C
   */
  public FlopsModel(int layers, int hidden, int intermediate, int heads, int cpWidth,
      int classes) {
    if (layers < 1 || hidden < 1 || intermediate < 1 || heads < 1 || cpWidth < 1 || classes < 1) {
      throw new IllegalArgumentException("geometry values must be positive, found L=" + layers
          + " H=" + hidden + " I=" + intermediate + " A=" + heads + " W=" + cpWidth + " C="
          + classes);
    }
    double h = hidden;
    double i = intermediate;
    this.layers = layers;
    this.classes = classes;
    this.quadratic = 4 * h + 7.0 * heads;
    this.linear = 8 * h * h + 4 * h * i + 9 * h + 7 * i;
    this.embedding = 8 * h + 8;
    this.predictor = 2 * h * cpWidth + 9.0 * cpWidth + 1;
    this.head = 2 * h * h + 2 * h + (2 * h + 1) * classes;
  }

  /**
   * Creates the model for a bundle's geometry.
   *
   * @param g the manifest's geometry
   * @return the FLOPs model
   */
  public static FlopsModel of(ModelGeometry g) {
    return new FlopsModel(g.layers(), g.hidden(), g.intermediate(), g.heads(), g.cpWidth(),
        g.classes());
  }

  /**
   * Returns the FLOPs of the full model (no token removal, no Contribution Predictors).
   *
   * @param n the row's real token count
   * @return FLOPs
   */
  public double fullFlops(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("token count must be >= 1, found " + n);
    }
    return n * embedding + layers * layer(n) + head;
  }

  /**
   * Returns the FLOPs of AdapLeR for a row, Contribution Predictors included.
   *
   * @param layerLengths the tokens processed by each layer ({@code L} values, each >= 1)
   * @return FLOPs
   */
  public double adaptiveFlops(int[] layerLengths) {
    if (layerLengths.length != layers) {
      throw new IllegalArgumentException("expected " + layers + " layer lengths, found "
          + layerLengths.length);
    }
    double total = layerLengths[0] * embedding + head;
    for (int len : layerLengths) {
      if (len < 1) {
        throw new IllegalArgumentException("layer lengths must be >= 1, found " + len);
      }
      total += layer(len) + predictor * len;
    }
    return total;
  }

  /**
   * Returns one row's speedup, full FLOPs over AdapLeR FLOPs. For a corpus use a {@link
   * SpeedupAccumulator} (a ratio of sums), not a mean of these.
   *
   * @param n the row's real token count
   * @param layerLengths the tokens processed by each layer
   * @return the speedup
   */
  public double speedup(int n, int[] layerLengths) {
    return fullFlops(n) / adaptiveFlops(layerLengths);
  }

  /**
   * Returns the number of layers this model expects lengths for.
   *
   * @return L
   */
  public int layers() {
    return layers;
  }

  /**
   * Returns the number of classes.
   *
   * @return C
   */
  public int classes() {
    return classes;
  }

  private double layer(double m) {
    return quadratic * m * m + linear * m;
  }
}
