package dev.vigil.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outputs of a scan: text for people, JSON, SARIF 2.1.0 for code scanning, the AWS key id list for
 * {@code vigil investigate}, and the baseline filter. Secrets are redacted unless {@code showSecrets}.
 */
public final class SecretReports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SecretReports() {}

  // ------------------------------------------------------------------ baseline

  /**
   * The fingerprints in a baseline file: a previous JSON or SARIF output of scan-secrets (every "fingerprint" field
   * and every value of "partialFingerprints").
   */
  public static Set<String> baseline(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    Set<String> out = new HashSet<>();
    collect(root, out);
    return out;
  }

  private static void collect(JsonNode n, Set<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        if (e.getKey().equals("fingerprint") && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else if (e.getKey().equals("partialFingerprints") && e.getValue().isObject()) {
          e.getValue().forEach(v -> out.add(v.asText()));
        } else {
          collect(e.getValue(), out);
        }
      });
    } else if (n.isArray()) {
      n.forEach(x -> collect(x, out));
    }
  }

  public static List<Finding> withoutBaseline(List<Finding> findings, Set<String> baseline) {
    return findings.stream().filter(f -> !baseline.contains(f.fingerprint())).toList();
  }

  // ------------------------------------------------------------------ text

  public static void text(PrintStream out, List<Finding> findings, boolean showSecrets, boolean colour) {
    for (Finding f : findings) {
      String sev = String.format("%-8s", f.severity().name());
      if (colour) {
        String code = switch (f.severity()) {
          case CRITICAL -> "1;31";
          case HIGH -> "31";
          case MEDIUM -> "33";
          default -> "36";
        };
        sev = "\u001b[" + code + "m" + sev + "\u001b[0m";
      }
      StringBuilder sb = new StringBuilder();
      sb.append(sev).append(' ').append(f.path()).append(':').append(f.line()).append(':').append(f.column())
          .append("  ").append(f.ruleId()).append("  ").append(showSecrets ? f.secret() : f.redacted())
          .append("  ").append(f.rule().title());
      if (f.paired() != null) {
        sb.append(f.paired() ? " (paired with its other half nearby)" : " (other half not found nearby)");
      }
      if (f.commit() != null) {
        sb.append("\n         added in commit ").append(f.commit().id(), 0, 12).append(" by ")
            .append(f.commit().author()).append(" <").append(f.commit().email()).append("> on ")
            .append(f.commit().date());
      }
      out.println(sb);
    }
  }

  // ------------------------------------------------------------------ JSON

  public static ObjectNode json(List<Finding> findings, ScanReport report, int suppressed, boolean showSecrets,
      String version) {
    ObjectNode root = JSON.createObjectNode();
    root.put("tool", "vigil scan-secrets");
    root.put("version", version);
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode o = list.addObject();
      o.put("rule", f.ruleId());
      o.put("title", f.rule().title());
      o.put("severity", f.severity().label());
      o.put("path", f.path());
      o.put("line", f.line());
      o.put("column", f.column());
      o.put("end_line", f.endLine());
      o.put("end_column", f.endColumn());
      o.put("secret_redacted", f.redacted());
      if (showSecrets) {
        o.put("secret", f.secret());
      }
      o.put("fingerprint", f.fingerprint());
      if (f.paired() != null) {
        o.put("paired", f.paired());
      }
      if (f.commit() != null) {
        commit(o.putObject("commit"), f.commit());
      }
    }
    ObjectNode s = root.putObject("summary");
    s.put("findings", findings.size());
    s.put("suppressed_by_baseline", suppressed);
    s.put("files_scanned", report.files());
    s.put("bytes_scanned", report.bytes());
    if (report.commits() > 0) {
      s.put("commits_scanned", report.commits());
    }
    ObjectNode skipped = s.putObject("skipped");
    report.skipped().forEach(skipped::put);
    ArrayNode unreadable = s.putArray("unreadable");
    for (ScanReport.Problem p : report.problems()) {
      unreadable.addObject().put("path", p.path()).put("reason", p.reason());
    }
    return root;
  }

  private static void commit(ObjectNode o, Finding.Commit c) {
    o.put("id", c.id());
    o.put("author", c.author());
    o.put("email", c.email());
    o.put("date", c.date());
    o.put("repository", c.repository());
  }

  // ------------------------------------------------------------------ SARIF 2.1.0

  public static ObjectNode sarif(List<Finding> findings, ScanReport report, boolean showSecrets, String version) {
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "vigil");
    driver.put("semanticVersion", version);
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (ruleIndex.containsKey(f.ruleId())) {
        continue;
      }
      ruleIndex.put(f.ruleId(), ruleIndex.size());
      Rule r = f.rule();
      ObjectNode rd = rules.addObject();
      rd.put("id", r.id());
      rd.put("name", camel(r.id()));
      rd.putObject("shortDescription").put("text", r.title());
      rd.putObject("fullDescription").put("text", r.description() == null ? r.title() : r.description());
      rd.putObject("defaultConfiguration").put("level", r.severity().sarifLevel());
      rd.putObject("help").put("text", "Rotate the credential (revoke it at its issuer), then remove it from the "
          + "file and from history. Rule: " + r.id() + ".");
      ObjectNode props = rd.putObject("properties");
      props.putArray("tags").add("security").add("secret");
      props.put("security-severity", r.severity().securitySeverity());
    }
    ArrayNode results = run.putArray("results");
    for (Finding f : findings) {
      ObjectNode res = results.addObject();
      res.put("ruleId", f.ruleId());
      res.put("ruleIndex", ruleIndex.get(f.ruleId()));
      res.put("level", f.severity().sarifLevel());
      res.putObject("message").put("text", f.rule().title() + " " + (showSecrets ? f.secret() : f.redacted())
          + (f.commit() != null ? " added in commit " + f.commit().id() : ""));
      ObjectNode loc = res.putArray("locations").addObject().putObject("physicalLocation");
      loc.putObject("artifactLocation").put("uri", uri(f.path()));
      ObjectNode region = loc.putObject("region");
      region.put("startLine", f.line());
      region.put("startColumn", f.column());
      region.put("endLine", f.endLine());
      region.put("endColumn", f.endColumn());
      res.putObject("partialFingerprints").put("vigilSecretFingerprint/v1", f.fingerprint());
      ObjectNode props = res.putObject("properties");
      props.put("severity", f.severity().label());
      props.put("secretRedacted", f.redacted());
      if (showSecrets) {
        props.put("secret", f.secret());
      }
      if (f.paired() != null) {
        props.put("paired", f.paired());
      }
      if (f.commit() != null) {
        commit(props.putObject("commit"), f.commit());
      }
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", true);
    ArrayNode notes = invocation.putArray("toolExecutionNotifications");
    for (ScanReport.Problem p : report.problems()) {
      ObjectNode n = notes.addObject();
      n.put("level", "warning");
      n.putObject("message").put("text", p.path() + ": " + p.reason());
    }
    return root;
  }

  private static String camel(String id) {
    StringBuilder sb = new StringBuilder();
    for (String part : id.split("[-.]")) {
      if (!part.isEmpty()) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  /** A relative or file URI for a path; archive entries keep their "!" separator. */
  static String uri(String path) {
    String p = path.replace('\\', '/');
    try {
      if (p.startsWith("/")) {
        return new URI("file", "", p, null).toASCIIString();
      }
      return new URI(null, null, p, null).toASCIIString();
    } catch (URISyntaxException e) {
      return p;
    }
  }

  // ------------------------------------------------------------------ AWS key ids for investigate

  /**
   * The AWS access key ids found, for {@code vigil investigate}: key id, account id decoded from it, where it was
   * found (file, line, commit) and whether its secret key was found nearby. Never the secret key.
   */
  public static ObjectNode awsKeys(List<Finding> findings) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "vigil-aws-key-ids/v1");
    ArrayNode keys = root.putArray("keys");
    List<Finding> ids = new ArrayList<>();
    for (Finding f : findings) {
      if ("aws".equals(f.rule().pairGroup()) && "id".equals(f.rule().pairRole())) {
        ids.add(f);
      }
    }
    for (Finding f : ids) {
      ObjectNode k = keys.addObject();
      k.put("access_key_id", f.secret());
      String account = Validators.awsAccountId(f.secret());
      if (account != null) {
        k.put("account_id", account);
      }
      k.put("kind", switch (f.secret().substring(0, 4)) {
        case "AKIA" -> "long-term";
        case "ASIA" -> "temporary";
        default -> "other";
      });
      k.put("path", f.path());
      k.put("line", f.line());
      if (f.commit() != null) {
        k.put("commit", f.commit().id());
        k.put("commit_date", f.commit().date());
        k.put("repository", f.commit().repository());
      }
      k.put("secret_key_nearby", Boolean.TRUE.equals(f.paired()));
      k.put("fingerprint", f.fingerprint());
    }
    return root;
  }

  /** Loads and initialises what writing a JSON report needs (done by a background thread at start-up). */
  static void warmUp() {
    try {
      JSON.writeValueAsString(json(List.of(), new ScanReport(), 0, false, "warm-up"));
    } catch (IOException e) {
      // nothing written anywhere: only the classes mattered
    }
  }

  public static void write(ObjectNode node, PrintStream out) throws IOException {
    out.println(JSON.writeValueAsString(node));
  }

  public static void write(ObjectNode node, Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(node) + "\n");
  }
}
