package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audits.Audits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of Vigil's audits against zizmor's own expected findings on zizmor's fixtures
 * ({@code ../shared/corpora/zizmor-fixtures}). A record is one zizmor test run over one fixture; zizmor's expected
 * output lists every finding of every audit at that persona, so a Vigil finding on a line zizmor did not expect
 * counts as a false positive and a zizmor finding Vigil lacks as a false negative. Matching is by audit, file and
 * line. Records needing the network, a zizmor config file or options Vigil has no equivalent for are left out.
 */
class ZizmorComparisonTest {
  /** zizmor audits Vigil re-implements offline (see docs/AUDITS.md). */
  static final Set<String> MAPPED = new TreeSet<>(Set.of("unpinned-uses", "unpinned-images", "unpinned-tools",
      "template-injection", "dangerous-triggers", "secrets-inherit", "excessive-permissions", "artipacked",
      "cache-poisoning", "self-hosted-runner", "overprovisioned-secrets"));
  private static final Pattern FINDING = Pattern.compile(
      "^(?:error|warning|help|info|note)\\[([\\w-]+)\\]:[^\\n]*\\n\\s*--> ([^\\s:]+):(\\d+):(\\d+)", Pattern.MULTILINE);
  private static final Set<String> USABLE_ARGS = Set.of("--persona=pedantic", "--persona=auditor", "--pedantic");

  static final class Score {
    int records;
    int expected;
    int tp;
    int fp;
    int fn;
    final List<String> misses = new ArrayList<>();
    final List<String> extras = new ArrayList<>();

    double precision() {
      return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
    }
  }

  static final int[] USED = {0};

  static Map<String, Score> compare() throws IOException {
    USED[0] = 0;
    Path corpus = Shared.dir("corpora/zizmor-fixtures");
    Path testData = corpus.resolve("crates/zizmor/tests/integration/test-data");
    JsonNode records = new ObjectMapper().readTree(corpus.resolve("expected-inline-snapshots.json").toFile());
    Map<String, String> toZizmor = new HashMap<>();
    for (Audit a : Audits.all()) {
      if (a.info().zizmor() != null) {
        toZizmor.put(a.info().id(), a.info().zizmor());
      }
    }
    Map<String, Score> scores = new TreeMap<>();
    MAPPED.forEach(m -> scores.put(m, new Score()));
    AuditEngine base = AuditEngine.defaults();
    for (JsonNode r : records) {
      if (!"inline".equals(r.path("kind").asText()) || r.path("feature_gated").asBoolean()
          || r.path("offline").size() > 0 || r.path("config").size() > 0 || r.path("inputs").size() != 1) {
        continue;
      }
      Persona persona = Persona.REGULAR;
      boolean usable = true;
      for (JsonNode a : r.path("args")) {
        String arg = a.asText();
        if (!USABLE_ARGS.contains(arg)) {
          usable = false;
        } else if (arg.contains("auditor")) {
          persona = Persona.AUDITOR;
        } else {
          persona = Persona.PEDANTIC;
        }
      }
      Path input = testData.resolve(r.path("inputs").get(0).asText());
      // config-scenarios test zizmor's discovery of its own config files, which Vigil does not read
      if (!usable || !Files.exists(input) || r.path("inputs").get(0).asText().startsWith("config-scenarios")) {
        continue;
      }
      USED[0]++;
      AuditResult result = base.withPersona(persona).audit(List.of(input));
      String single = Files.isDirectory(input) ? null : input.toString();
      // expected: audit -> "file:line" multiset
      Map<String, List<String>> expected = new HashMap<>();
      Matcher m = FINDING.matcher(r.path("expected").asText());
      while (m.find()) {
        String file = m.group(2).equals("@@INPUT@@") ? single : m.group(2).replaceFirst("^@@INPUT@@/", "");
        expected.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(file + ":" + m.group(3));
      }
      Map<String, List<String>> actual = new HashMap<>();
      for (Finding f : result.findings()) {
        String z = toZizmor.get(f.auditId());
        if (z != null && MAPPED.contains(z)) {
          String key = f.path() + ":" + f.line();
          actual.computeIfAbsent(z, k -> new ArrayList<>()).add(key);
        }
      }
      String label = r.path("source_test_file").asText() + "#" + r.path("test_fn").asText() + " "
          + r.path("inputs").get(0).asText() + " " + persona.name().toLowerCase();
      for (String audit : MAPPED) {
        Score s = scores.get(audit);
        List<String> exp = new ArrayList<>(expected.getOrDefault(audit, List.of()));
        List<String> act = new ArrayList<>(actual.getOrDefault(audit, List.of()));
        if (!exp.isEmpty() || !act.isEmpty()) {
          s.records++;
        }
        s.expected += exp.size();
        for (String a : act) {
          if (exp.remove(a)) {
            s.tp++;
          } else {
            s.fp++;
            s.extras.add(label + " @" + a.substring(a.lastIndexOf(':') + 1));
          }
        }
        s.fn += exp.size();
        exp.forEach(e -> s.misses.add(label + " @" + e.substring(e.lastIndexOf(':') + 1)));
      }
    }
    return scores;
  }

  static String table(Map<String, Score> scores) {
    StringBuilder sb = new StringBuilder();
    sb.append("| zizmor audit | records | zizmor findings | Vigil TP | Vigil FP | Vigil FN | precision | recall |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (Map.Entry<String, Score> e : scores.entrySet()) {
      Score s = e.getValue();
      tp += s.tp;
      fp += s.fp;
      fn += s.fn;
      sb.append(String.format("| %s | %d | %d | %d | %d | %d | %.2f | %.2f |%n", e.getKey(), s.records, s.expected,
          s.tp, s.fp, s.fn, s.precision(), s.recall()));
    }
    sb.append(String.format("| **all mapped** | | %d | %d | %d | %d | %.2f | %.2f |%n", tp + fn, tp, fp, fn,
        tp + fp == 0 ? 1.0 : (double) tp / (tp + fp), tp + fn == 0 ? 1.0 : (double) tp / (tp + fn)));
    sb.append("\nzizmor records compared: ").append(USED[0]).append('\n');
    return sb.toString();
  }

  @Test
  void precisionAndRecallAgainstZizmorExpectations() throws IOException {
    Map<String, Score> scores = compare();
    String table = table(scores);
    Path out = Path.of("target", "zizmor-comparison.md");
    Files.createDirectories(out.getParent());
    StringBuilder detail = new StringBuilder(table).append("\n");
    scores.forEach((a, s) -> {
      s.misses.forEach(x -> detail.append("FN ").append(a).append(' ').append(x).append('\n'));
      s.extras.forEach(x -> detail.append("FP ").append(a).append(' ').append(x).append('\n'));
    });
    Files.writeString(out, detail.toString());
    System.out.println(table);
    int tp = scores.values().stream().mapToInt(s -> s.tp).sum();
    int fn = scores.values().stream().mapToInt(s -> s.fn).sum();
    assertThat(tp + fn).as("zizmor findings compared").isGreaterThan(100);
    assertThat((double) tp / (tp + fn)).as("overall recall (details in %s)", out).isGreaterThanOrEqualTo(0.9);
    scores.forEach((audit, s) -> assertThat(s.recall()).as("recall of %s (details in %s)", audit, out)
        .isGreaterThanOrEqualTo(0.9));
    // Regression guard on the figures recorded in docs/AUDITS.md: Vigil's findings that zizmor does not expect.
    int fp = scores.values().stream().mapToInt(s -> s.fp).sum();
    assertThat(fp).as("findings zizmor does not expect (details in %s)", out).isLessThanOrEqualTo(5);
    assertThat(tp).isGreaterThanOrEqualTo(169);
  }
}
