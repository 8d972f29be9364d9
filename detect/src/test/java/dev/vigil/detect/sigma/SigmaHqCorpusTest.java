package dev.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The SigmaHQ AWS rules (../shared/corpora/sigma-aws) on Vigil's engine, and on the Stratus Red Team logs. */
class SigmaHqCorpusTest {

  private static SigmaRules.Loaded sigmaHq() {
    return SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("rules")), false, Map.of());
  }

  @Test
  void all57RulesLoadWithNoneRejected() {
    SigmaRules.Loaded l = sigmaHq();
    assertThat(l.rejected()).isEmpty();
    assertThat(l.files()).isEqualTo(57);
    assertThat(l.loaded()).hasSize(57).allSatisfy(h -> assertThat(h.isCorrelation()).isFalse());
    assertThat(l.loaded().stream().map(RuleHeader::id).distinct()).hasSize(57);
    // the equality index leaves only the IMDS rule (a regex on the ARN) to be tried on every event
    assertThat(l.ruleSet().unindexedRules()).isEqualTo(1);
  }

  @Test
  void placeholderRuleLoadsOnlyWithItsPlaceholders() {
    Path dir = Corpora.sigmaAws().resolve("rules-placeholder");
    SigmaRules.Loaded without = SigmaRules.loadAll(List.of(dir), false, Map.of());
    assertThat(without.loaded()).isEmpty();
    assertThat(without.rejected()).singleElement().satisfies(r -> {
      assertThat(r.source()).endsWith("aws_cloudtrail_console_login_success_from_susp_locations.yml");
      assertThat(r.rule()).isEqualTo("313e72de-0c0d-4d65-8c95-87f4d546eceb 'AWS Console Login Monitoring'");
      assertThat(r.reason()).isEqualTo("line 25 column 9: 'src_country|expand': no value for placeholder "
          + "%Legitimate_Countries% (supply --placeholder Legitimate_Countries=VALUE[,VALUE...])");
    });
    SigmaRules.Loaded with = SigmaRules.loadAll(List.of(dir), false,
        Map.of("Legitimate_Countries", List.of("BE", "LU"), "Legitimate_IP_Ranges", List.of("198.51.100.*")));
    assertThat(with.rejected()).isEmpty();
    assertThat(with.loaded()).extracting(RuleHeader::id).containsExactly("313e72de-0c0d-4d65-8c95-87f4d546eceb");
    // the rule tests src_ip, which CloudTrail does not have: every successful console login passes the filter
    List<Alert> alerts = SigmaTesting.run(with.ruleSet(), SigmaTesting.event("{\"eventName\":\"ConsoleLogin\","
        + "\"responseElements\":{\"ConsoleLogin\":\"Success\"},\"sourceIPAddress\":\"198.51.100.7\"}"));
    assertThat(alerts).hasSize(1);
    assertThat(SigmaTesting.run(with.ruleSet(), SigmaTesting.event("{\"eventName\":\"ConsoleLogin\","
        + "\"responseElements\":{\"ConsoleLogin\":\"Success\"},\"src_ip\":\"198.51.100.7\"}"))).isEmpty();
  }

  @Test
  void unsupportedRulesLoadAsCorrelationsOrAreRejectedPrecisely() {
    SigmaRules.Loaded l = SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("unsupported")), false, Map.of());
    Map<String, String> loaded = new TreeMap<>();
    for (CorrelationRule c : l.ruleSet().correlations()) {
      loaded.put(c.header().id(), c.type().name() + " group-by " + c.groupBy + " timespan " + c.timespanText + " "
          + c.conditionText());
    }
    assertThat(loaded).isEqualTo(Map.of(
        "26ff4080-194e-47e7-9889-ef7602efed0c", "EVENT_COUNT group-by [] timespan 30m gt 10",
        "76255e09-755e-4675-8b6b-dbce9842cd2a", "EVENT_COUNT group-by [] timespan 10m gt 5",
        "e9c14b23-47e2-4a8b-8a63-d36618e33d70", "EVENT_COUNT group-by [] timespan 10m gt 50",
        "c3d53999-4b14-4ddd-9d9b-e618c366b54d", "EVENT_COUNT group-by [] timespan 10m gt 5",
        "4723218f-2048-41f6-bcb0-417f2d784f61", "EVENT_COUNT group-by [] timespan 10m gt 5",
        "91f6a16c-ef71-437a-99ac-0b070e3ad221", "EVENT_COUNT group-by [sourceIPAddress] timespan 10m gt 5"));
    Map<String, String> rejected = new TreeMap<>();
    l.rejected().forEach(r -> rejected.put(Path.of(r.source()).getFileName().toString(), r.reason()));
    assertThat(rejected).isEqualTo(Map.of(
        "aws_lambda_function_created_or_invoked.yml", "line 23 column 5: old-style 'near' aggregation "
            + "('near selection2') without a timeframe cannot be converted: rewrite it as a Sigma correlation rule "
            + "of type temporal_ordered (or temporal) over two named rules",
        "aws_ses_messaging_enabled.yml", "line 23 column 5: 'timeframe: 5m' belongs to an old-style aggregation, "
            + "but the condition 'selection1 and selection2' has none: one event cannot match several selections "
            + "that describe different events; rewrite it as a Sigma correlation rule (type temporal or "
            + "temporal_ordered)"));
  }

  @Test
  void convertedUnsupportedRulesFireOnTheStratusEnumerationLogs() throws Exception {
    SigmaRules.Loaded l = SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("unsupported")), false, Map.of());
    Map<String, Integer> fired = new TreeMap<>();
    try (Stream<Path> s = Files.list(Corpora.stratusLogs())) {
      for (Path f : s.sorted().toList()) {
        SigmaRuleSet set = SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("unsupported")), false, Map.of())
            .ruleSet();
        for (Alert a : Corpora.run(set, Corpora.read(f))) {
          fired.merge(f.getFileName() + " " + a.ruleId() + " events=" + a.events().size(), 1, Integer::sum);
        }
      }
    }
    assertThat(l.rejected()).hasSize(2);
    assertThat(fired).isEqualTo(Map.of(
        "aws.credential-access.ec2-get-password-data.json 76255e09-755e-4675-8b6b-dbce9842cd2a events=6", 5,
        "aws.discovery.ec2-download-user-data.json 26ff4080-194e-47e7-9889-ef7602efed0c events=11", 1));
  }

  /** technique file → (SigmaHQ rule id → the eventIDs it fired on); '-' means no SigmaHQ rule fired. */
  private static final String STRATUS_PIN = """
      aws.credential-access.ec2-get-password-data 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        0c7f6148-c337-4e49-8df5-cb333c6fb7d6 1078f3f3-e72f-42bd-a0c8-7f321b5fce0b 396d8a62-46e7-472f-b046-5c41a75ae61b
        450230d4-b39e-4a18-a6a0-d07a6e2105cb 45b5d41d-4732-49d2-aa3b-8b87a1c4d8e1 4bf1ca5d-42ba-4e95-a493-9cdeefb58b87
        52242c8d-7ef7-4165-90cd-621ebe835388 560bcc37-36b9-43f4-8447-2bab2d7cd7cf 71ce0541-113b-4b74-bbc7-5ef364318787
        735eae92-16e3-469c-b454-4507c47aadcb 73f28e1e-7fe0-40d2-94a4-cf42930e8b0a 7466f497-7987-44d9-aeb1-5034d02c9f87
        76a3f52e-5c4c-4a62-818d-a2bc8bddc2e6 8aa69c7f-117d-4010-b7ea-009cd1f4f5de 8d006dac-fa19-4599-a336-d3a230b535f6
        9fa0f6c4-dafd-46e6-af33-264c70b79add a8d8ee73-2a80-4d03-ae6c-42e2964a5e43 a9da1fbd-464c-4b74-8c64-96eea2564978
        afcc764e-2db4-4fe2-aa74-85d01843d7ca b1f34826-4e8b-4527-b17a-ef9cb24ac379 b5da67b9-87fa-4151-bd9a-818f3237fb91
        b8a37387-6dd5-49a1-b55a-a491a0bb85b0 c07943fa-79ed-4f9a-9bde-b0eefcece09a c1e66f32-ddf1-4e85-9a5c-9b11b09e2d06
        cf7fcd24-2c91-4836-b460-d01f837d5db4 d2d44fa9-f50b-4877-8a52-9e3855029970 ec79b60b-6bc0-4a75-bf79-45a42db477df
        eec493d8-1181-4ed7-9d29-1de1e87ee98b f1e17321-830c-4761-854c-158258e915b6 f2d94374-18b0-4479-8585-d24f7a58e3de
      aws.credential-access.ec2-steal-instance-credentials 38e7f511-3f74-41d4-836e-f57dfa18eead
        2a5178c8-b4c7-44ba-b066-1ecc79b7087c
      aws.credential-access.ec2-steal-instance-credentials 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        394cf343-b9cf-48ce-8a94-e188656ae8ba b379479b-05c9-4c3c-af4b-cbd43acf29e1
      aws.credential-access.secretsmanager-batch-retrieve-secrets -
      aws.credential-access.secretsmanager-retrieve-secrets -
      aws.credential-access.ssm-retrieve-securestring-parameters -
      aws.defense-evasion.cloudtrail-delete 4db60cc0-36fb-42b7-9b58-a5b53019fb74
        ee73c230-44bc-4492-8542-cfb189eae287
      aws.defense-evasion.cloudtrail-event-selectors -
      aws.defense-evasion.cloudtrail-stop 4db60cc0-36fb-42b7-9b58-a5b53019fb74
        10163ed2-2253-469d-a5ee-cbc6651f8934
      aws.defense-evasion.dns-delete-logs -
      aws.defense-evasion.organizations-leave 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        16903cbd-fdff-4818-82f2-d66ad09aaf57
      aws.defense-evasion.vpc-remove-flow-logs e386b9b5-af12-450e-afff-761730fb8a98
        ded2f5af-f3a5-46d2-a170-a23206a32c36
      aws.discovery.ec2-download-user-data 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        0a4a4ee3-b1a7-4194-ab60-7465b4d5216e 0ee61554-ac1d-4c40-abde-2ff51473f180 12b3736b-a8c7-4eaf-ae84-fa8dab5b5503
        205f694d-35d4-4e33-9f38-f5e7a20ffa50 3178929b-eb35-4a1b-b479-de1ca5187fb9 330b18f1-2763-4429-acf9-7293a5604ef3
        4839af5e-7b6a-4353-a5ef-41febc9a9fa8 5a44c114-2692-4701-bc09-faeb3f49b56d 66ffee8d-1866-43f6-b17e-4ffe3ddf8503
        95da874e-1cbd-47df-bba6-26dd2ed9ad82 962d6fc2-b79e-4d8a-a7ab-36d72048c12e 971a0ce7-1f66-4dba-918d-cd2a5b12ebe5
        a7ca94eb-492f-41e9-b23d-e4875b795041 b307eaf9-2be2-44dd-b942-ce2bc8a3cc57 b6ed03db-7300-48b3-bdf4-b778a5c3e5a4
      aws.execution.ec2-launch-unusual-instances 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        1a4debbb-12e9-4bde-b8c7-ea29002bb2a7
      aws.execution.ec2-user-data -
      aws.execution.ssm-send-command 38e7f511-3f74-41d4-836e-f57dfa18eead
        5288bfb8-e3fa-4c41-be02-6853521afe8b
      aws.execution.ssm-start-session -
      aws.exfiltration.ec2-security-group-open-port-22-ingress 6fb77778-040f-4015-9440-572aa9b6b580
        9fd68588-ecbf-4528-a345-199fa6bb0821
      aws.exfiltration.ec2-share-ami -
      aws.exfiltration.ec2-share-ebs-snapshot abae8fec-57bd-4f87-aff6-6e3db989843d
        6897ff63-d738-445c-9e86-43e5b1f8e12f
      aws.exfiltration.rds-share-snapshot -
      aws.impact.bedrock-invoke-model 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        0a6c7fce-ffb0-47f6-b2e0-e3493c501567 148d06be-26df-4d27-aba4-5ef0d7df6587 378c7831-cd5c-4967-a5a3-271b96087899
        4031b2d2-5e47-4d71-9eda-4f22702c45f3 4b478773-db64-45c1-a254-7da7bf6e3e5c 51d580ea-04f5-421c-b733-b5e4ec485a6e
        59b55742-0b37-4488-bb51-c54f8067758f 61956b65-a857-4e46-8352-9c8506b52e73 8452e2fb-1252-460b-8f58-d3f5333c2630
        876e6893-1f54-48dc-ab41-b0c307ac5021 89557ced-3487-49ac-8fdc-f6cccd4883e5 b2038781-3ed7-43c7-ade7-358b162b2c41
        db9c43df-ae6f-4db3-8298-f5f779f74f4d efe53b88-f160-4734-bb93-7b87bbe44d53 f12a2c9b-72a6-4e05-976a-72febda6a8f4
      aws.initial-access.console-login-without-mfa 77caf516-34e5-4df9-b4db-20744fea0a60
        865d9377-9c6b-4fd7-8aad-725e95f6a140
      aws.lateral-movement.ec2-instance-connect -
      aws.lateral-movement.ec2-serial-console-send-ssh-public-key 905d389b-b853-46d0-9d3d-dea0d3a3cd49
        37ba412b-f943-44f2-ae48-4527f6e789d9 787b2464-f27b-4d4c-91bc-6396f2297d0e e49972cb-b394-43e2-aab5-602f1fb56f85
        f4dc86c9-6b22-4643-a0e8-fcb97fcfae68
      aws.persistence.iam-backdoor-role -
      aws.persistence.iam-backdoor-user 0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2
        c64c4ded-ef03-4e5c-81eb-153b118d72f2
      aws.persistence.iam-create-admin-user 0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2
        94faedcc-0fa4-46e6-9322-022e8e934f04
      aws.persistence.iam-create-backdoor-role -
      aws.persistence.iam-create-user-login-profile -
      aws.persistence.lambda-backdoor-function -
      aws.persistence.lambda-layer-extension 97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d
        da929d96-8e20-475c-a810-973addd64769
      aws.persistence.lambda-overwrite-code -
      aws.persistence.rolesanywhere-create-trust-anchor -
      aws.persistence.sts-federation-token -
      aws.privilege-escalation.iam-update-user-login-profile 055fb148-60f8-462d-ad16-26926ce050f1
        a46a1a42-9ef1-48d4-9c61-507eb6d4019f
      """;

  private static Map<String, Map<String, Set<String>>> expected() {
    Map<String, Map<String, Set<String>>> out = new TreeMap<>();
    String tech = null;
    String rule = null;
    for (String line : STRATUS_PIN.strip().split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p[0].startsWith("aws.")) {
        tech = p[0];
        out.computeIfAbsent(tech, k -> new TreeMap<>());
        if (p[1].equals("-")) {
          continue;
        }
        rule = p[1];
        out.get(tech).put(rule, new TreeSet<>());
      } else {
        out.get(tech).get(rule).addAll(List.of(p));
      }
    }
    return out;
  }

  @Test
  void stratusRedTeamPinsWhichRulesFireOnWhichTechnique() throws Exception {
    Map<String, Map<String, Set<String>>> actual = new TreeMap<>();
    int events = 0;
    try (Stream<Path> s = Files.list(Corpora.stratusLogs())) {
      for (Path f : s.sorted().toList()) {
        List<AuditEvent> evs = Corpora.read(f);
        events += evs.size();
        String tech = f.getFileName().toString().replaceAll("\\.json$", "");
        Map<String, Set<String>> m = new TreeMap<>();
        for (Alert a : Corpora.run(sigmaHq().ruleSet(), evs)) {
          assertThat(a.events()).hasSize(1);
          m.computeIfAbsent(a.ruleId(), k -> new TreeSet<>()).add(a.trigger().eventId());
        }
        actual.put(tech, m);
      }
    }
    assertThat(events).isEqualTo(310);
    assertThat(actual).hasSize(35);
    assertThat(actual).isEqualTo(expected());
  }

  @Test
  void oneCorpusPassIsIdenticalToPerFileRuns() throws Exception {
    // the rule set keeps no state between single-event rules: one pass over the whole folder gives the same pairs
    Map<String, Set<String>> pairs = new LinkedHashMap<>();
    for (Alert a : Corpora.run(sigmaHq().ruleSet(), Corpora.read(Corpora.stratusLogs()))) {
      pairs.computeIfAbsent(a.ruleId(), k -> new TreeSet<>()).add(a.trigger().eventId());
    }
    Map<String, Set<String>> perFile = new TreeMap<>();
    expected().values().forEach(m -> m.forEach((r, ids) -> perFile.computeIfAbsent(r, k -> new TreeSet<>())
        .addAll(ids)));
    assertThat(new TreeMap<>(pairs)).isEqualTo(perFile);
  }

  @Test
  void vigilsBundledRulesOnTheStratusLogs() throws Exception {
    Map<String, Set<String>> actual = new TreeMap<>();
    try (Stream<Path> s = Files.list(Corpora.stratusLogs())) {
      for (Path f : s.sorted().toList()) {
        for (Alert a : Corpora.run(SigmaRules.builtin().ruleSet(), Corpora.read(f))) {
          actual.computeIfAbsent(f.getFileName().toString().replaceAll("\\.json$", ""), k -> new TreeSet<>())
              .add(a.ruleId() + " " + a.trigger().eventId());
        }
      }
    }
    String trail = "552f1f25-501d-4468-956b-61922cfc2a92 ";
    String otherUserKey = "8840ff11-5ea3-4660-973e-d5894a47456e ";
    String otherUserPassword = "75ceaf03-4848-45fa-bf32-0a72b34b487b ";
    assertThat(actual).isEqualTo(Map.of(
        "aws.defense-evasion.cloudtrail-delete", Set.of(trail + "ee73c230-44bc-4492-8542-cfb189eae287"),
        "aws.defense-evasion.cloudtrail-event-selectors", Set.of(trail + "c2a89408-340a-42f0-8ace-75d9f5769393"),
        "aws.defense-evasion.cloudtrail-stop", Set.of(trail + "10163ed2-2253-469d-a5ee-cbc6651f8934"),
        "aws.defense-evasion.vpc-remove-flow-logs",
        Set.of("24885d0f-9402-4584-8f32-42d70af1a754 ded2f5af-f3a5-46d2-a170-a23206a32c36"),
        "aws.persistence.iam-backdoor-user", Set.of(otherUserKey + "c64c4ded-ef03-4e5c-81eb-153b118d72f2"),
        "aws.persistence.iam-create-admin-user", Set.of(otherUserKey + "94faedcc-0fa4-46e6-9322-022e8e934f04"),
        "aws.persistence.iam-create-user-login-profile", Set.of(
            otherUserPassword + "d3906a7d-604b-407f-acb6-fc425742821e",
            // Stratus calls GetCallerIdentity with its own client (user agent stratus-red-team_<uuid>)
            "d50e55fb-26c1-496f-b0a0-2ad1c2fdfdcd e544d47e-6d75-45cf-a8a9-7e90d5f7d38d"),
        "aws.privilege-escalation.iam-update-user-login-profile",
        Set.of(otherUserPassword + "a46a1a42-9ef1-48d4-9c61-507eb6d4019f")));
  }
}
