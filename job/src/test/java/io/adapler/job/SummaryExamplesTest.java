package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary page's example rows through the real job: chosen during the write, coloured by
 * the layers each word piece ran through (checked against the reference's goldens), the
 * user's text escaped, and nothing outside the page referenced.
 */
class SummaryExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SPAN =
      Pattern.compile("<span class=\"t(\\d+)\">([^<]*)</span>");
  @TempDir Path dir;

  private String runAndReadHtml(String name, List<String> lines, String... extra)
      throws Exception {
    Path input = dir.resolve(name + ".jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    String output = dir.resolve(name).toString();
    List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--input-format",
        "json", "--id-column", "id", "--bundle", JobTestSupport.tinyBundle(), "--output",
        output, "--eta-scale", "1", "--progress-seconds", "0"));
    args.addAll(List.of(extra));
    JobTestSupport.runOk(args.toArray(String[]::new));
    return Files.readString(Path.of(ScoringJob.summaryDir(output), "summary.html"),
        StandardCharsets.UTF_8);
  }

  private static String line(String id, String text) throws Exception {
    return JSON.writeValueAsString(JSON.createObjectNode().put("id", id).put("text", text));
  }

  /** The examples section only, from its heading on. */
  private static String section(String html) {
    int at = html.indexOf("<h2>Example rows</h2>");
    assertTrue(at > 0, "no examples section in " + html);
    return html.substring(at);
  }

  @Test
  void markupInTheTextRendersAsTextAndThePageFetchesNothing() throws Exception {
    String html = runAndReadHtml("hostile", List.of(
        line("x<img src=x onerror=alert(2)>", "<script>alert(1)</script>"),
        line("b", "<b>x</b> & \"quoted\" 'single' \u0000 nul")));
    String lower = html.toLowerCase(Locale.ROOT);
    // The id's markup is text too; "src=" may appear as text, never inside a tag.
    for (String forbidden : new String[] {"<script", "<b>x", "<img", "href=", "<link",
        "@import", "url(", "<iframe", " src=\""}) {
      assertFalse(lower.contains(forbidden), "the page holds " + forbidden + ":\n" + html);
    }
    String text = unescape(section(html).replaceAll("<[^>]*>", ""));
    assertTrue(text.contains("<script>alert(1)</script>"), text);
    assertTrue(text.contains("<b>x</b> & \"quoted\" 'single' \u2400 nul"), text);
    assertTrue(text.contains("id x<img src=x onerror=alert(2)>"), text);
    assertTrue(section(html).contains("&lt;script&gt;") || section(html).contains("&lt;</span>"),
        section(html));
  }

  @Test
  void everyPieceIsColouredByTheLayersTheReferenceRanItThrough() throws Exception {
    // Golden single texts of lower-case ASCII words (one piece each where the vocabulary has
    // the word), at least two survival values among their pieces: two rows, so that both are
    // the most or the least compressed of their label and certainly shown.
    List<JsonNode> chosen = new ArrayList<>();
    for (JsonNode g : GoldenJobTest.goldens()) {
      String text = g.get("text").asText();
      JsonNode layers = run(g, 1f).get("token_layers");
      if (g.get("text_pair").isNull() && text.matches("[a-z]+( [a-z]+){3,12}")
          && layers.size() == text.split(" ").length + 2 && distinct(layers) >= 3) {
        chosen.add(g);
      }
      if (chosen.size() == 2) {
        break;
      }
    }
    assertEquals(2, chosen.size(), "no suitable golden rows");
    List<String> lines = new ArrayList<>();
    for (JsonNode g : chosen) {
      lines.add(line("g" + g.get("id").asInt(), g.get("text").asText()));
    }
    String page = runAndReadHtml("goldens", lines);
    String html = section(page);
    for (JsonNode g : chosen) {
      String[] words = g.get("text").asText().split(" ");
      JsonNode layers = run(g, 1f).get("token_layers");
      StringBuilder expected = new StringBuilder();
      for (int w = 0; w < words.length; w++) { // one piece per word: position w + 1
        expected.append(w == 0 ? "" : " ").append("<span class=\"t")
            .append(layers.get(w + 1).asInt()).append("\">").append(words[w]).append("</span>");
      }
      assertTrue(html.contains("<div class=\"txt\">" + expected + "</div>"),
          "row " + g.get("id") + ": expected " + expected + " in\n" + html);
      assertTrue(html.contains("id g" + g.get("id").asInt()), html);
    }
    Matcher m = SPAN.matcher(html);
    int spans = 0;
    while (m.find()) {
      assertTrue(Integer.parseInt(m.group(1)) <= 3, m.group());
      spans++;
    }
    assertTrue(spans >= 8, "spans " + spans);
    assertTrue(html.contains("<span class=\"t0\">0</span>") && html.contains(
        "<span class=\"t3\">3</span>"), "legend of 0..3 layers: " + html);
    // the bar chart counts layers as the legend does: 1..3 (a piece coloured 3 ran on layer 3)
    List<String> bars = new ArrayList<>();
    Matcher bar = Pattern.compile("<title>(layer \\d+|input): ").matcher(page);
    while (bar.find()) {
      bars.add(bar.group(1));
    }
    assertEquals(List.of("input", "layer 1", "layer 2", "layer 3"), bars);
    assertTrue(html.contains("0: dropped before layer 1; 3: ran through layer 3"), html);
  }

  @Test
  void theOptionTurnsTheExamplesOff() throws Exception {
    String html = runAndReadHtml("off", List.of(line("a", "secret text")),
        "--summary-examples", "false");
    assertFalse(html.contains("Example rows"));
    assertFalse(html.contains("secret"));
    assertTrue(html.contains("Mean tokens per layer"));
  }

  private static int distinct(JsonNode values) {
    HashSet<Integer> seen = new HashSet<>();
    values.forEach(v -> seen.add(v.asInt()));
    return seen.size();
  }

  private static JsonNode run(JsonNode golden, float eta) {
    for (JsonNode r : golden.get("runs")) {
      if (r.get("eta_scale").floatValue() == eta) {
        return r;
      }
    }
    throw new IllegalStateException("no run at " + eta);
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&middot;", "·").replace("&rarr;", "→")
        .replace("&hellip;", "…").replace("&amp;", "&");
  }
}
