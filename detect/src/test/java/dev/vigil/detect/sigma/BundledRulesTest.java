package dev.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs Vigil's bundled Sigma rules against their own example events. Each example file is named after its rule
 * file; each event carries {@code _expect}: the ids of the bundled rules that must alert with this event as the
 * trigger (empty for benign activity that must stay silent). All bundled rules run on every example, so an
 * example also proves that no other bundled rule fires on it.
 */
class BundledRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path resourceDir(String dir) throws URISyntaxException {
    return Path.of(BundledRulesTest.class.getResource(dir).toURI());
  }

  @Test
  void bundledRulesLoadWithoutRejectionsOrWarnings() {
    SigmaRules.Loaded l = SigmaRules.builtin();
    assertThat(l.rejected()).isEmpty();
    assertThat(l.warnings()).isEmpty();
    assertThat(l.loaded()).hasSize(14);
  }

  @Test
  void indexListsEveryBundledRuleFile() throws Exception {
    Path dir = Path.of(SigmaLoader.class.getResource(SigmaLoader.BUILTIN_DIR + "index.txt").toURI()).getParent();
    Set<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).forEach(files::add);
    }
    Set<String> listed = new TreeSet<>();
    for (String line : Files.readAllLines(dir.resolve("index.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        listed.add(line.trim());
      }
    }
    assertThat(listed).isEqualTo(files);
  }

  @Test
  void everyAlertingRuleHasTheFullSigmaHeader() {
    SigmaRuleSet set = SigmaRules.builtin().ruleSet();
    List<RuleHeader> alerting = new ArrayList<>();
    set.rules().stream().filter(SigmaRule::generatesAlerts).forEach(r -> alerting.add(r.header()));
    set.correlations().forEach(c -> alerting.add(c.header()));
    assertThat(alerting).hasSize(11);
    for (RuleHeader h : alerting) {
      assertThat(h.id()).as(h.title()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(h.status()).as(h.title()).isEqualTo("experimental");
      assertThat(h.description()).as(h.title()).isNotBlank();
      assertThat(h.references()).as(h.title()).isNotEmpty();
      assertThat(h.author()).as(h.title()).isEqualTo("Vigil");
      assertThat(h.date()).as(h.title()).isEqualTo("2026-11-28");
      assertThat(h.techniques()).as(h.title()).isNotEmpty();
      assertThat(h.tactics()).as(h.title()).isNotEmpty();
      assertThat(h.falsePositives()).as(h.title()).isNotEmpty();
      assertThat(h.level()).as(h.title()).isIn("medium", "high", "critical");
    }
  }

  @Test
  void everyRuleFiresOnItsPositiveExamplesAndOnNothingElse() throws Exception {
    Path examples = resourceDir("/dev/vigil/rules/sigma/examples");
    Set<String> expectedSomewhere = new HashSet<>();
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(examples)) {
      s.sorted().forEach(p -> files.add(p.getFileName().toString()));
    }
    Path rulesDir = Path.of(SigmaLoader.class.getResource(SigmaLoader.BUILTIN_DIR + "index.txt").toURI())
        .getParent();
    for (String f : files) {
      assertThat(rulesDir.resolve(f.replace(".jsonl", ".yml"))).as("example file names its rule file").exists();
      Map<String, Set<String>> expected = new LinkedHashMap<>();
      List<AuditEvent> events = read(examples.resolve(f), expected);
      assertThat(expected.values()).as(f + " has a benign example").anyMatch(Set::isEmpty);
      assertThat(expected.values()).as(f + " has a positive example").anyMatch(e -> !e.isEmpty());
      List<Alert> alerts = Corpora.run(SigmaRules.builtin().ruleSet(), events);
      Map<String, Set<String>> actual = new LinkedHashMap<>();
      expected.keySet().forEach(k -> actual.put(k, new TreeSet<>()));
      for (Alert a : alerts) {
        actual.computeIfAbsent(a.trigger().eventId(), k -> new TreeSet<>()).add(a.ruleId());
      }
      assertThat(actual).as(f).isEqualTo(expected);
      expected.values().forEach(expectedSomewhere::addAll);
    }
    Set<String> alerting = new TreeSet<>();
    SigmaRuleSet set = SigmaRules.builtin().ruleSet();
    set.rules().stream().filter(SigmaRule::generatesAlerts).forEach(r -> alerting.add(r.header().id()));
    set.correlations().forEach(c -> alerting.add(c.header().id()));
    assertThat(expectedSomewhere).as("every bundled rule has a positive example").containsAll(alerting);
  }

  static List<AuditEvent> read(Path file, Map<String, Set<String>> expected) throws IOException {
    List<AuditEvent> out = new ArrayList<>();
    int i = 0;
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      Set<String> expect = new TreeSet<>();
      node.remove("_expect").forEach(n -> expect.add(n.asText()));
      node.remove("_note");
      try {
        AuditEvent e = CloudTrailNormalizer.normalize(node, new AuditEvent.Origin(file.toString(), i++));
        expected.put(e.eventId(), expect);
        out.add(e);
      } catch (CloudTrailNormalizer.RejectedRecord r) {
        throw new IllegalStateException(file + " line " + i + ": " + r.getMessage());
      }
    }
    return out;
  }
}
