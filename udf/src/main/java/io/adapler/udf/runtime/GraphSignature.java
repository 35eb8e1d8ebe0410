package io.adapler.udf.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleManifest;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.tokenize.EncodedRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks, once at load, that the ONNX graph is the one the manifest describes: input and output
 * names, element types and ranks, static class and layer dimensions, and then the actual output
 * shapes of a one-row probe. All mismatches are reported together.
 */
final class GraphSignature {
  private static final List<String> INPUTS = List.of(BatchExecutor.INPUT_IDS,
      BatchExecutor.ATTENTION_MASK, BatchExecutor.TOKEN_TYPE_IDS, BatchExecutor.ETA_SCALE);

  private final ModelBundle bundle;
  private final List<String> problems = new ArrayList<>();

  private GraphSignature(ModelBundle bundle) {
    this.bundle = bundle;
  }

  /** Checks names, types and static dimensions of the session against the manifest. */
  static void check(OrtSession session, ModelBundle bundle) throws BundleLoadException {
    GraphSignature g = new GraphSignature(bundle);
    try {
      g.checkStatic(session.getInputInfo(), session.getOutputInfo());
    } catch (OrtException e) {
      throw new BundleLoadException("cannot read the inputs and outputs of "
          + bundle.modelPath() + " (" + bundle.uri() + "): " + e.getMessage(), e);
    }
    g.throwIfAny();
  }

  /** Runs {@code [CLS] [SEP]} at eta scale 0 and checks the output shapes and lengths. */
  static void probe(BatchExecutor executor, ModelBundle bundle) throws BundleLoadException {
    BundleManifest m = bundle.manifest();
    EncodedRow row = EncodedRow.ofIds(
        new long[] {m.tokenizer().clsTokenId(), m.tokenizer().sepTokenId()}, new long[2]);
    GraphSignature g = new GraphSignature(bundle);
    try {
      BatchExecutor.RawRow out = executor.run(List.of(row), 2, 0f, m.hasKeptPositions(),
          m.hasTokenLayers()).get(0);
      g.expect("logits per row", m.geometry().classes() + " values (geometry.classes)",
          out.logits().length + " values", out.logits().length == m.geometry().classes());
      long[] lengths = out.layerLengths();
      g.expect("layer_lengths per row", m.geometry().layers() + " values (geometry.layers)",
          lengths.length + " values", lengths.length == m.geometry().layers());
      g.expect("layer_lengths at eta_scale 0 for [CLS] [SEP]", "all 2",
          Arrays.toString(lengths), Arrays.stream(lengths).allMatch(v -> v == 2));
      if (m.hasTokenLayers()) {
        long all = m.geometry().layers();
        g.expect("token_layers at eta_scale 0 for [CLS] [SEP]", "[" + all + ", " + all + "]",
            Arrays.toString(out.tokenLayers()), Arrays.equals(out.tokenLayers(),
                new long[] {all, all}));
      }
    } catch (OrtException | RuntimeException e) {
      throw new BundleLoadException("the probe run of " + bundle.modelPath() + " ("
          + bundle.uri() + ") on [CLS] [SEP] failed: " + e.getMessage()
          + "; re-export the bundle with the model/ exporter", e);
    }
    g.throwIfAny();
  }

  private void checkStatic(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
    BundleManifest m = bundle.manifest();
    expect("graph inputs", "the bundle contract's " + new TreeSet<>(INPUTS),
        "model.onnx's " + new TreeSet<>(inputs.keySet()),
        new TreeSet<>(INPUTS).equals(new TreeSet<>(inputs.keySet())));
    expectNames("graph inputs", m.graph().inputs(), inputs.keySet());
    expectNames("graph outputs", m.graph().outputs(), outputs.keySet());
    for (String name : INPUTS.subList(0, 3)) {
      tensor(inputs, "input", name, OnnxJavaType.INT64, 2, -1, 0);
    }
    tensor(inputs, "input", BatchExecutor.ETA_SCALE, OnnxJavaType.FLOAT, 0, -1, 0);
    tensor(outputs, "output", BatchExecutor.LOGITS, OnnxJavaType.FLOAT, 2, 1,
        m.geometry().classes());
    tensor(outputs, "output", BatchExecutor.LAYER_LENGTHS, OnnxJavaType.INT64, 2, 1,
        m.geometry().layers());
    if (outputs.containsKey(BatchExecutor.KEPT_POSITIONS)) {
      tensor(outputs, "output", BatchExecutor.KEPT_POSITIONS, OnnxJavaType.INT64, 2, -1, 0);
    }
    if (outputs.containsKey(BatchExecutor.TOKEN_LAYERS)) {
      tensor(outputs, "output", BatchExecutor.TOKEN_LAYERS, OnnxJavaType.INT64, 2, -1, 0);
    }
  }

  private void tensor(Map<String, NodeInfo> infos, String kind, String name, OnnxJavaType type,
      int rank, int staticAxis, int staticSize) {
    NodeInfo node = infos.get(name);
    if (node == null) {
      problems.add("missing " + kind + " '" + name + "' (expected " + type + " rank " + rank
          + "); the graph's " + kind + "s are " + new TreeSet<>(infos.keySet()));
      return;
    }
    if (!(node.getInfo() instanceof TensorInfo info)) {
      problems.add(kind + " '" + name + "': expected a tensor, found " + node.getInfo());
      return;
    }
    expect(kind + " '" + name + "' type", type.toString(), info.type.toString(),
        info.type == type);
    long[] shape = info.getShape();
    expect(kind + " '" + name + "' rank", String.valueOf(rank),
        shape.length + " " + Arrays.toString(shape), shape.length == rank);
    if (staticAxis >= 0 && shape.length == rank && shape[staticAxis] > 0) {
      String field = name.equals(BatchExecutor.LOGITS) ? "geometry.classes" : "geometry.layers";
      expect(kind + " '" + name + "' axis " + staticAxis, staticSize + " (" + field + ")",
          String.valueOf(shape[staticAxis]), shape[staticAxis] == staticSize);
    }
  }

  private void expectNames(String what, java.util.Collection<String> declared,
      java.util.Collection<String> actual) {
    TreeSet<String> d = new TreeSet<>(declared);
    TreeSet<String> a = new TreeSet<>(actual);
    expect(what, "adapler.json's " + d, "model.onnx's " + a, d.equals(a));
  }

  private void expect(String what, String expected, String found, boolean ok) {
    if (!ok) {
      problems.add(what + ": expected " + expected + ", found " + found);
    }
  }

  private void throwIfAny() throws BundleLoadException {
    if (!problems.isEmpty()) {
      throw new BundleLoadException("graph " + bundle.manifest().graph().file() + " of bundle "
          + bundle.uri() + " (cached at " + bundle.modelPath() + ") does not match its"
          + " adapler.json: " + String.join("; ", problems)
          + ". Re-export the bundle so that the manifest and the graph agree (the model/"
          + " exporter writes both), or fix the manifest by hand if only it is wrong");
    }
  }
}
