package io.adapler.udf.bundle;

import java.util.List;

/**
 * The manifest's {@code graph} section: which file holds the ONNX graph and its declared
 * input and output names, checked against the opened session at load time.
 *
 * @param file the ONNX file inside the bundle
 * @param opset the ONNX opset the graph was exported with
 * @param weightsDtype {@code float32} or {@code float16}: how float weights are stored
 * @param format how the linear layers compute (float32 or int8) and which fusions the graph has
 * @param inputs declared input names, in order
 * @param outputs declared output names, in order
 */
public record GraphSpec(
    String file, int opset, String weightsDtype, GraphFormat format, List<String> inputs,
    List<String> outputs) {

  /**
   * Copies the name lists so the record stays immutable.
   *
   * @param file see the record component of the same name
   * @param opset see the record component of the same name
   * @param weightsDtype see the record component of the same name
   * @param format see the record component of the same name
   * @param inputs see the record component of the same name
   * @param outputs see the record component of the same name
   */
  public GraphSpec {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
