package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.secrets.Validators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan-secrets command end to end: formats, redaction, baseline, AWS key list, exit codes. */
class ScanSecretsCommandTest {
  @TempDir Path dir;
  final Random random = new Random(2026);
  final List<String> secrets = new ArrayList<>();
  String keyId;
  String awsSecret;
  String github;

  private String rnd(String alphabet, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = VigilCli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeEach
  void plant() throws Exception {
    String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    keyId = "AKIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    awsSecret = rnd(alnum + "+/", 40);
    String body = rnd(alnum, 30);
    github = "ghp_" + body + Validators.githubCrc(body);
    String slack = "xoxb-" + rnd("0123456789", 12) + "-" + rnd("0123456789", 12) + "-" + rnd(alnum, 24);
    String stripe = "sk_live_" + rnd(alnum, 24);
    String password = rnd(alnum, 18);
    secrets.addAll(List.of(keyId, awsSecret, github, slack, stripe, password));
    Files.writeString(dir.resolve("credentials"), "[default]\naws_access_key_id = " + keyId
        + "\naws_secret_access_key = " + awsSecret + "\n");
    Files.writeString(dir.resolve("app.env"), "GITHUB_TOKEN=" + github + "\nSLACK=" + slack + "\n");
    Files.writeString(dir.resolve("settings.py"), "STRIPE = '" + stripe + "'\nDB_PASSWORD = \"" + password
        + "\"\n");
  }

  @Test
  void noOutputFormatHoldsAWholeSecretUnlessAsked() throws Exception {
    Path keys = dir.resolve("keys.json");
    List<String> outputs = new ArrayList<>();
    for (String format : List.of("text", "json", "sarif")) {
      Run r = run("scan-secrets", dir.toString(), "--format", format, "--aws-keys-out", keys.toString());
      assertThat(r.code()).as(format).isEqualTo(ExitCode.FINDINGS);
      outputs.add(r.out());
      outputs.add(r.err());
    }
    String keyList = Files.readString(keys);
    for (String s : secrets) {
      for (String o : outputs) {
        assertThat(o).doesNotContain(s);
      }
      if (!s.equals(keyId)) {
        assertThat(keyList).doesNotContain(s); // the key list holds key ids, never secrets
      }
    }
    // with --show-secrets each of them is there, whole
    Run shown = run("scan-secrets", dir.toString(), "--format", "json", "--show-secrets");
    for (String s : secrets) {
      assertThat(shown.out()).contains(s);
    }
    // and the redacted text output still names each finding
    Run text = run("scan-secrets", dir.toString());
    assertThat(text.out()).contains("aws-access-key-id", "aws-secret-access-key", "github-pat-classic",
        "slack-bot-token", "stripe-secret-key", "generic-password", keyId.substring(0, 4) + "*****");
  }

  @Test
  void sarifHasRulesLocationsAndStableFingerprints() throws Exception {
    Run a = run("scan-secrets", dir.toString(), "--format", "sarif");
    Run b = run("scan-secrets", dir.toString(), "--format", "sarif", "--threads", "1");
    JsonNode sarif = new ObjectMapper().readTree(a.out());
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    JsonNode run = sarif.get("runs").get(0);
    JsonNode results = run.get("results");
    assertThat(results).hasSize(6);
    for (JsonNode res : results) {
      String ruleId = res.get("ruleId").asText();
      assertThat(run.at("/tool/driver/rules/" + res.get("ruleIndex").asInt() + "/id").asText()).isEqualTo(ruleId);
      JsonNode loc = res.at("/locations/0/physicalLocation");
      assertThat(loc.at("/artifactLocation/uri").asText()).startsWith("file:///");
      assertThat(loc.at("/region/startLine").asInt()).isPositive();
      assertThat(res.at("/partialFingerprints/vigilSecretFingerprint~1v1").asText()).hasSize(32);
    }
    JsonNode credentials = results.findParents("ruleId").stream()
        .filter(r -> r.get("ruleId").asText().equals("aws-secret-access-key")).findFirst().orElseThrow();
    assertThat(credentials.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
    assertThat(credentials.at("/properties/paired").asBoolean()).isTrue();
    assertThat(b.out()).isEqualTo(a.out()); // same order and fingerprints whatever the threads
  }

  @Test
  void baselineSuppressesKnownFindingsAndAwsKeyListNamesTheKey() throws Exception {
    Path baseline = dir.resolve("baseline.json");
    Run first = run("scan-secrets", dir.toString(), "--format", "json");
    Files.writeString(baseline, first.out());
    Run again = run("scan-secrets", dir.toString(), "--baseline", baseline.toString(), "--format", "json");
    assertThat(again.code()).isEqualTo(ExitCode.OK);
    assertThat(new ObjectMapper().readTree(again.out()).get("findings")).isEmpty();
    assertThat(again.err()).contains("0 finding(s) (6 more in the baseline)");

    // a new secret is reported despite the baseline
    String body = rnd("abcdefghijklmnopqrstuvwxyz0123456789", 30);
    String fresh = "ghp_" + body + Validators.githubCrc(body);
    Files.writeString(dir.resolve("new.sh"), "export GH_TOKEN=" + fresh + "\n");
    Run third = run("scan-secrets", dir.toString(), "--baseline", baseline.toString(), "--format", "json");
    JsonNode findings = new ObjectMapper().readTree(third.out()).get("findings");
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).get("path").asText()).endsWith("new.sh");

    Path keys = dir.resolve("keys.json");
    run("scan-secrets", dir.toString(), "--aws-keys-out", keys.toString(), "--fail-on", "none");
    JsonNode k = new ObjectMapper().readTree(keys.toFile()).get("keys");
    assertThat(k).hasSize(1);
    assertThat(k.get(0).get("access_key_id").asText()).isEqualTo(keyId);
    assertThat(k.get(0).get("path").asText()).endsWith("credentials");
    assertThat(k.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(k.get(0).get("secret_key_nearby").asBoolean()).isTrue();
    assertThat(k.get(0).get("account_id").asText()).matches("\\d{12}");
  }

  @Test
  void exitCodesAndUsageErrors() throws Exception {
    Files.write(dir.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 1, 2});
    Run partial = run("scan-secrets", dir.toString(), "--fail-on", "none");
    assertThat(partial.code()).isEqualTo(ExitCode.PARTIAL_INPUT);
    assertThat(partial.err()).contains("unreadable: " + dir.resolve("broken.zip") + ": broken archive")
        .contains("1 unreadable");
    assertThat(run("scan-secrets", dir.toString(), "--fail-on", "critical").code()).isEqualTo(ExitCode.FINDINGS);

    Run missing = run("scan-secrets", dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("no such file or directory");
    Run notRepo = run("scan-secrets", dir.toString(), "--git");
    assertThat(notRepo.code()).isEqualTo(ExitCode.USAGE);
    assertThat(notRepo.err()).contains("not a git repository");
    Path badRules = dir.resolve("rules.yaml");
    Files.writeString(badRules, "rules:\n  - id: mine\n    regex: '(unclosed'\n    keywords: [x]\n");
    Run bad = run("scan-secrets", dir.toString(), "--rules", badRules.toString());
    assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains(badRules + ": rule mine: bad regex");
  }

  @Test
  void userRulesAddAndDisable() throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, String.join("\n",
        "disable: [stripe-secret-key]",
        "rules:",
        "  - id: acme-internal-token",
        "    title: ACME internal token",
        "    severity: high",
        "    keywords: [acme_]",
        "    regex: '\\b(acme_[a-z0-9]{24})\\b'",
        ""));
    String acme = "acme_" + rnd("abcdefghijklmnopqrstuvwxyz0123456789", 24);
    Files.writeString(dir.resolve("acme.cfg"), "token: " + acme + "\n");
    Run r = run("scan-secrets", dir.toString(), "--rules", rules.toString(), "--format", "json", "--show-secrets");
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
    List<String> ids = new ArrayList<>();
    findings.forEach(f -> ids.add(f.get("rule").asText()));
    assertThat(ids).contains("acme-internal-token").doesNotContain("stripe-secret-key");
  }
}
