package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.BundleCopies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest that describes another graph than the one in the bundle fails at load. */
class GraphSignatureTest {
  @TempDir Path tmp;

  private static void assertMessage(BundleLoadException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
  }

  private BundleLoadException openFails(Path dir) throws Exception {
    ModelBundle bundle = new BundleLoader(tmp.resolve("cache")).load(dir.toString());
    return assertThrows(BundleLoadException.class,
        () -> AdaplerRuntime.open(bundle, RuntimeOptions.defaults()));
  }

  @Test
  void outputNamesLayersAndClassesThatDifferFromTheGraphAreAllReported() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> {
      ObjectNode geometry = (ObjectNode) m.get("geometry");
      geometry.put("layers", 4).put("classes", 3);
      ((ArrayNode) m.get("labels")).add("neutral");
      ((ArrayNode) m.get("eta")).add(0.5);
      ((ArrayNode) m.get("theta_pr")).add(1.0);
      ArrayNode outputs = ((ObjectNode) m.get("graph")).putArray("outputs");
      outputs.add("scores").add("layer_lengths").add("kept_positions");
    });
    BundleLoadException e = openFails(dir);
    assertMessage(e, "does not match its adapler.json",
        "graph outputs: expected adapler.json's [kept_positions, layer_lengths, scores],"
            + " found model.onnx's [kept_positions, layer_lengths, logits, token_layers]",
        dir.toUri().getPath().replaceAll("/$", ""), "Re-export the bundle");
    assertTrue(e.getMessage().contains("3 (geometry.classes)")
        || e.getMessage().contains("3 values (geometry.classes)"), e.getMessage());
    assertTrue(e.getMessage().contains("4 (geometry.layers)")
        || e.getMessage().contains("4 values (geometry.layers)"), e.getMessage());
  }

  @Test
  void layerCountAloneIsCheckedByTheProbeOrTheShapes() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> {
      ((ObjectNode) m.get("geometry")).put("layers", 2);
      ((ArrayNode) m.get("eta")).remove(2);
      ((ArrayNode) m.get("theta_pr")).remove(1);
    });
    BundleLoadException e = openFails(dir);
    assertMessage(e, "layer_lengths", "expected 2", "found 3");
  }

  @Test
  void inputNamesThatDifferFromTheGraphAreReported() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> {
      ArrayNode inputs = ((ObjectNode) m.get("graph")).putArray("inputs");
      inputs.add("input_ids").add("attention_mask").add("eta_scale");
    });
    BundleLoadException e = openFails(dir);
    assertMessage(e, "graph inputs: expected adapler.json's [attention_mask, eta_scale,"
        + " input_ids], found model.onnx's [attention_mask, eta_scale, input_ids,"
        + " token_type_ids]");
  }
}
