/**
 * Tokenization: texts (or text pairs) to token ids, token types and character offsets, with the
 * bundle's truncation rules, using the Hugging Face tokenizers library through DJL.
 *
 * <p>Plain Java; no ONNX Runtime and no Spark types. The runtime sees only {@link
 * io.adapler.udf.tokenize.EncodedRow} values.
 */
package io.adapler.udf.tokenize;
