package io.adapler.udf.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and validates {@code adapler.json}; every failure names the field and the path. */
final class ManifestParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIX = "; re-export the bundle with the model/ exporter";

  private final String where;

  private ManifestParser(String where) {
    this.where = where;
  }

  /**
   * Parses a manifest.
   *
   * @param bytes the file's bytes
   * @param where the manifest's path, for messages
   */
  static BundleManifest parse(byte[] bytes, String where) throws BundleLoadException {
    return new ManifestParser(where).parse(bytes);
  }

  private BundleManifest parse(byte[] bytes) throws BundleLoadException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new BundleLoadException(
          "adapler.json at " + where + " is not valid JSON (" + e.getMessage() + ")" + FIX,
          e);
    }
    if (root == null || !root.isObject()) {
      throw fail("the top level", "a JSON object", String.valueOf(root));
    }
    int version = integer(root, "format_version");
    if (version != BundleManifest.FORMAT_VERSION) {
      throw new BundleLoadException(
          "unsupported bundle format_version " + version + " in " + where
              + ": this runtime reads format version " + BundleManifest.FORMAT_VERSION
              + "; use an adapler-udf release that reads version " + version
              + ", or re-export the bundle in format version " + BundleManifest.FORMAT_VERSION);
    }
    JsonNode tok = object(root, "tokenizer");
    JsonNode geo = object(root, "geometry");
    JsonNode graphNode = object(root, "graph");
    TokenizerSettings tokenizer =
        new TokenizerSettings(
            text(tok, "file", "tokenizer.file"),
            integer(tok, "max_length", "tokenizer.max_length"),
            tok.path("truncation").asText("longest_first"),
            tok.path("lower_case").asBoolean(false),
            tok.path("pair_inputs").asBoolean(false),
            integer(tok, "cls_token_id", "tokenizer.cls_token_id"),
            integer(tok, "sep_token_id", "tokenizer.sep_token_id"),
            integer(tok, "pad_token_id", "tokenizer.pad_token_id"));
    ModelGeometry geometry =
        new ModelGeometry(
            positive(geo, "layers"),
            positive(geo, "hidden"),
            positive(geo, "intermediate"),
            positive(geo, "heads"),
            positive(geo, "cp_width"),
            positive(geo, "classes"),
            positive(geo, "vocab_size"),
            positive(geo, "max_positions"),
            positive(geo, "type_vocab_size"),
            geo.path("activation").asText("gelu"));
    GraphSpec graph =
        new GraphSpec(
            text(graphNode, "file", "graph.file"),
            graphNode.path("opset").asInt(0),
            graphNode.path("weights_dtype").asText("float32"),
            graphFormat(graphNode.get("format")),
            strings(graphNode, "inputs", "graph.inputs"),
            strings(graphNode, "outputs", "graph.outputs"));
    List<String> labels = strings(root, "labels", "labels");
    List<Double> eta = numbers(root.path("eta"), "eta");
    List<Double> thetaPr =
        root.has("theta_pr") ? numbers(root.get("theta_pr"), "theta_pr") : List.of();
    Map<String, FileEntry> files = files(object(root, "files"));
    BundleManifest manifest =
        new BundleManifest(
            version, root.path("name").asText("unnamed"), labels, tokenizer, geometry, eta,
            thetaPr, graph, files, operatingPoint(root));
    checkConsistency(manifest);
    return manifest;
  }

  private void checkConsistency(BundleManifest m) throws BundleLoadException {
    ModelGeometry g = m.geometry();
    if (m.labels().size() != g.classes()) {
      throw fail("labels", g.classes() + " labels (geometry.classes)", m.labels().size() + " labels");
    }
    if (m.eta().size() != g.layers()) {
      throw fail("eta", g.layers() + " values (geometry.layers)", m.eta().size() + " values");
    }
    if (!m.thetaPr().isEmpty() && m.thetaPr().size() != g.layers() - 1) {
      throw fail("theta_pr", (g.layers() - 1) + " values", m.thetaPr().size() + " values");
    }
    int maxLength = m.tokenizer().maxLength();
    if (maxLength < 2 || maxLength > g.maxPositions()) {
      throw fail("tokenizer.max_length", "2.." + g.maxPositions(), String.valueOf(maxLength));
    }
    for (String required : List.of(m.tokenizer().file(), m.graph().file())) {
      if (!m.files().containsKey(required)) {
        throw fail("files", "an entry for " + required, "entries for " + m.files().keySet());
      }
    }
  }

  /** The optional calibrated default: {"eta_scale": x, "criterion": "...", "calibrated_on": "..."}. */
  private OperatingPoint operatingPoint(JsonNode root) throws BundleLoadException {
    JsonNode node = root.get("operating_point");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw fail("operating_point", "an object", node.toString());
    }
    JsonNode eta = node.get("eta_scale");
    if (eta == null || !eta.isNumber() || !(eta.asDouble() >= 0) || Double.isInfinite(eta.asDouble())) {
      throw fail("operating_point.eta_scale", "a number >= 0", String.valueOf(eta));
    }
    return new OperatingPoint(eta.asDouble(), node.path("criterion").asText(""),
        node.path("calibrated_on").asText(""));
  }

  private Map<String, FileEntry> files(JsonNode node) throws BundleLoadException {
    Map<String, FileEntry> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String field = "files." + e.getKey();
      String sha = text(e.getValue(), "sha256", field + ".sha256").toLowerCase(java.util.Locale.ROOT);
      if (!sha.matches("[0-9a-f]{64}")) {
        throw fail(field + ".sha256", "64 hex digits", sha);
      }
      JsonNode bytes = e.getValue().get("bytes");
      if (bytes == null || !bytes.canConvertToLong() || bytes.asLong() < 0) {
        throw fail(field + ".bytes", "a size in bytes", String.valueOf(bytes));
      }
      if (e.getKey().contains("/") || e.getKey().contains("\\") || e.getKey().startsWith(".")) {
        throw fail(field, "a plain file name inside the bundle directory", e.getKey());
      }
      out.put(e.getKey(), new FileEntry(sha, bytes.asLong()));
    }
    return out;
  }

  private JsonNode object(JsonNode parent, String field) throws BundleLoadException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw fail(field, "an object", node == null ? "nothing" : node.toString());
    }
    return node;
  }

  private String text(JsonNode parent, String field, String label) throws BundleLoadException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw fail(label, "a non-empty string", node == null ? "nothing" : node.toString());
    }
    return node.asText();
  }

  private int integer(JsonNode parent, String field) throws BundleLoadException {
    return integer(parent, field, field);
  }

  private int integer(JsonNode parent, String field, String label) throws BundleLoadException {
    JsonNode node = parent.get(field);
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
      throw fail(label, "an integer", node == null ? "nothing" : node.toString());
    }
    return node.asInt();
  }

  private int positive(JsonNode geo, String field) throws BundleLoadException {
    int v = integer(geo, field, "geometry." + field);
    if (v <= 0) {
      throw fail("geometry." + field, "a positive integer", String.valueOf(v));
    }
    return v;
  }

  private List<String> strings(JsonNode parent, String field, String label)
      throws BundleLoadException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail(label, "a non-empty list of strings", node == null ? "nothing" : node.toString());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        throw fail(label, "strings", n.toString());
      }
      out.add(n.asText());
    }
    return out;
  }

  private GraphFormat graphFormat(JsonNode node) throws BundleLoadException {
    if (node == null || node.isNull()) {
      return GraphFormat.PLAIN;
    }
    JsonNode fused = node.path("fused");
    if (!node.isObject() || !node.path("linears").isTextual() || !fused.isArray()) {
      throw fail("graph.format", "an object with linears (a string) and fused (a list)",
          node.toString());
    }
    List<String> names = new ArrayList<>();
    fused.forEach(n -> names.add(n.asText()));
    try {
      return new GraphFormat(node.get("linears").asText(), names);
    } catch (IllegalArgumentException e) {
      throw fail("graph.format.linears", GraphFormat.FLOAT32 + " or " + GraphFormat.INT8,
          node.get("linears").asText());
    }
  }

  private List<Double> numbers(JsonNode node, String label) throws BundleLoadException {
    if (node == null || !node.isArray()) {
      throw fail(label, "a list of numbers", node == null ? "nothing" : node.toString());
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isNumber()) {
        throw fail(label, "numbers", n.toString());
      }
      out.add(n.asDouble());
    }
    return out;
  }

  private BundleLoadException fail(String field, String expected, String found) {
    return new BundleLoadException(
        "invalid field '" + field + "' in " + where + ": expected " + expected + ", found "
            + found + FIX);
  }
}
