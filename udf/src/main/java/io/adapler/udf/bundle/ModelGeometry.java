package io.adapler.udf.bundle;

/**
 * The manifest's {@code geometry} section: the sizes of the encoder, its Contribution
 * Predictors and its classifier. The FLOPs model derives its counts from these.
 *
 * @param layers encoder layers L
 * @param hidden hidden size H
 * @param intermediate feed-forward size I
 * @param heads attention heads
 * @param cpWidth width of each Contribution Predictor's hidden layer
 * @param classes number of classes C
 * @param vocabSize vocabulary size
 * @param maxPositions number of position embeddings (longest row the graph accepts)
 * @param typeVocabSize number of token types
 * @param activation the hidden activation, for example {@code gelu}
 */
public record ModelGeometry(
    int layers,
    int hidden,
    int intermediate,
    int heads,
    int cpWidth,
    int classes,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    String activation) {}
