package io.adapler.udf.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Makes altered copies of the tiny fixture bundle for failure tests. */
public final class BundleCopies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleCopies() {}

  /** Copies the bundle files (not the goldens) of the tiny fixture into {@code dir}. */
  public static Path copy(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : new String[] {"adapler.json", "model.onnx", "tokenizer.json"}) {
      Files.copy(TinyBundle.dir().resolve(f), dir.resolve(f));
    }
    return dir;
  }

  /** Rewrites the copy's manifest through {@code edit}. */
  public static void editManifest(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve("adapler.json");
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(root);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }
}
