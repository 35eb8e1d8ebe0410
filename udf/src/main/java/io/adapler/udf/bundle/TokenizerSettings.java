package io.adapler.udf.bundle;

/**
 * The manifest's {@code tokenizer} section: how texts become token ids.
 *
 * @param file the tokenizer file inside the bundle (Hugging Face {@code tokenizer.json})
 * @param maxLength the most tokens per row, {@code [CLS]} and {@code [SEP]} included
 * @param truncation the truncation strategy for pairs ({@code longest_first})
 * @param lowerCase whether the tokenizer lower-cases (informative; the tokenizer file rules)
 * @param pairInputs whether rows are text pairs (for example premise and hypothesis)
 * @param clsTokenId the id of {@code [CLS]}
 * @param sepTokenId the id of {@code [SEP]}
 * @param padTokenId the id used to right-pad rows in a batch
 */
public record TokenizerSettings(
    String file,
    int maxLength,
    String truncation,
    boolean lowerCase,
    boolean pairInputs,
    long clsTokenId,
    long sepTokenId,
    long padTokenId) {}
