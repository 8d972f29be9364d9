package dev.vigil.respond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.stix.StixValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small breach with known ground truth, investigated end to end. */
class InvestigationTest {
  @TempDir Path dir;

  private static final String CI_KEY = "AKIACIKEYEXAMPLE0001";
  private static final String NEW_KEY = "AKIANEWKEYEXAMPLE002";
  private static final String RUNNER_IP = "20.42.1.10";
  private static final String ATTACKER_IP = "209.159.147.239";
  private int n;

  private String event(String time, String key, String ip, String ua, String source, String action, String params,
      String response, long bytesOut) {
    n++;
    return "{\"eventVersion\":\"1.09\",\"eventID\":\"ev-" + n + "\",\"eventTime\":\"" + time + "\",\"eventSource\":\""
        + source + "\",\"eventName\":\"" + action + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"" + ip
        + "\",\"userAgent\":\"" + ua + "\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":"
        + "\"IAMUser\",\"accountId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:user/ci-deploy\","
        + "\"userName\":\"ci-deploy\",\"accessKeyId\":\"" + key + "\"},\"requestParameters\":" + params
        + ",\"responseElements\":" + response + ",\"additionalEventData\":{\"bytesTransferredOut\":" + bytesOut + "}}";
  }

  private Path scenario() throws Exception {
    List<String> lines = new ArrayList<>();
    String cli = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22";
    lines.add(event("2026-03-18T10:00:00Z", CI_KEY, RUNNER_IP, cli, "s3.amazonaws.com", "PutObject",
        "{\"bucketName\":\"site-agency-a\",\"key\":\"index.html\"}", "null", 0));
    lines.add(event("2026-03-19T20:00:00Z", CI_KEY, ATTACKER_IP, "TruffleHog", "sts.amazonaws.com",
        "GetCallerIdentity", "null", "null", 0));
    lines.add(event("2026-03-19T20:05:00Z", CI_KEY, ATTACKER_IP, "TruffleHog", "iam.amazonaws.com", "CreateAccessKey",
        "{\"userName\":\"backup-svc\"}", "{\"accessKey\":{\"accessKeyId\":\"" + NEW_KEY + "\",\"userName\":"
            + "\"backup-svc\",\"status\":\"Active\"}}", 0));
    lines.add(event("2026-03-19T21:00:00Z", CI_KEY, "20.42.7.7", cli, "s3.amazonaws.com", "PutObject",
        "{\"bucketName\":\"site-agency-a\",\"key\":\"index.html\"}", "null", 0));
    for (int i = 0; i < 3; i++) {
      lines.add(event("2026-03-19T22:0" + i + ":00Z", NEW_KEY, ATTACKER_IP, "TruffleHog", "s3.amazonaws.com",
          "GetObject", "{\"bucketName\":\"site-agency-a\",\"key\":\"mail/" + i + ".eml\"}", "null", 1000));
    }
    lines.add(event("2026-03-19T22:10:00Z", NEW_KEY, ATTACKER_IP, "TruffleHog", "s3.amazonaws.com", "GetObject",
        "{\"bucketName\":\"site-agency-b\",\"key\":\"mail/x.eml\"}", "null", 5000));
    Path logs = Files.createDirectories(dir.resolve("logs")).resolve("trail.jsonl");
    Files.write(logs, lines);
    return logs;
  }

  private Path repo() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve(".github/workflows"));
    Files.writeString(repo.resolve(".github/workflows/deploy.yml"), """
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            env:
              AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
              AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
            steps:
              - uses: aquasecurity/trivy-action@0.34.2
              - run: aws s3 sync site s3://site-agency-a
        """);
    try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Dev", "dev@example.eu", Date.from(Instant.parse("2026-03-01T09:00:00Z")),
          TimeZone.getTimeZone("UTC"));
      git.commit().setMessage("deploy").setAuthor(who).setCommitter(who).call();
    }
    return repo;
  }

  @Test
  void theBreachIsTracedFromThePipelineToTheTenantsAndTheNotices() throws Exception {
    Path logs = scenario();
    Path mirror = dir.resolve("mirror");
    Files.createDirectories(mirror.resolve("site-agency-a/mail"));
    Files.writeString(mirror.resolve("site-agency-a/mail/0.eml"),
        "From: Jan Peeters <jan@agency-a.eu>\nTo: an@example.be, bob@example.net\n\nCall +32 475 12 34 56\n");
    Files.writeString(mirror.resolve("site-agency-a/mail/1.eml"), "From: jan@agency-a.eu\nTo: carol@example.org\n\nhi\n");
    Path runLogs = Files.createDirectories(dir.resolve("run-logs/deploy"));
    Files.writeString(runLogs.resolve("1_Set up job.txt"), "2026-03-19T19:00:00.0000000Z Download action repository "
        + "'aquasecurity/trivy-action@0.34.2' (SHA:ddb9da4475c1cef7d5389062bdfdfbdbd1394648)\n");
    TenantMap tenants = TenantMap.fromTree("test", Map.of("buckets",
        Map.of("site-agency-a", "Agency A", "site-agency-b", "Agency B"), "contacts", Map.of("Agency A", "dpo@a.eu")));
    Investigation.Inputs in = new Investigation.Inputs(List.of(repo()), List.of(dir.resolve("run-logs")),
        Map.of("AWS_ACCESS_KEY_ID", CI_KEY), List.of(logs), tenants, tenants.contacts(), mirror, IocFeed.bundled());
    Investigation.Findings f = Investigation.run(in, List.of(SigmaRules.builtin().ruleSet()), s -> { });

    assertThat(f.problems()).isEmpty();
    assertThat(f.notes()).isEmpty();
    assertThat(f.exposedJobs()).singleElement().satisfies(j -> {
      assertThat(j.jobId()).isEqualTo("deploy");
      assertThat(j.executionProven()).isTrue();
      assertThat(j.secrets()).containsExactlyInAnyOrder("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    });
    assertThat(f.exposedKeys()).containsExactly(CI_KEY);
    assertThat(f.incidents()).hasSize(1);
    assertThat(f.keyActivity()).extracting(Investigation.KeyActivity::accessKeyId).containsExactly(CI_KEY, NEW_KEY);
    Investigation.KeyActivity ci = f.keyActivity().get(0);
    assertThat(ci.suspicious()).as("the attacker's two calls").isEqualTo(2);
    assertThat(ci.expected()).as("the CI run during the window; the run before it is before exposure").isEqualTo(1);
    assertThat(ci.suspiciousAddresses()).containsExactly(ATTACKER_IP);
    assertThat(f.keyActivity().get(1).suspicious()).isEqualTo(4);
    assertThat(f.keyActivity().get(1).origin()).isEqualTo("created by " + CI_KEY);
    assertThat(f.tenants()).extracting(Investigation.TenantFindings::tenant).containsExactly("Agency A", "Agency B");
    Investigation.TenantFindings a = f.tenants().get(0);
    assertThat(a.objectsRead()).isEqualTo(3);
    assertThat(a.bytesRead()).isEqualTo(3000);
    assertThat(a.contact()).isEqualTo("dpo@a.eu");
    assertThat(a.personalData().dataSubjects()).as("jan, an, bob, carol").isEqualTo(4);
    assertThat(a.personalData().messages()).isEqualTo(2);
    assertThat(f.tenants().get(1).bytesRead()).isEqualTo(5000);
    assertThat(f.iamChanges()).extracting(Investigation.IamChange::action).containsExactly("CreateAccessKey");

    Path out = dir.resolve("case");
    InvestigationOutputs.write(f, new InvestigationOutputs.Context("Example Hosting", "dpo@example.eu",
        Instant.parse("2026-03-24T09:00:00Z"), Instant.parse("2026-03-25T09:00:00Z"), IocFeed.bundled()), out);
    JsonNode bundle = new ObjectMapper().readTree(out.resolve("stix-bundle.json").toFile());
    assertThat(StixValidator.validate(bundle)).isEmpty();
    assertThat(bundle.toString()).contains(ATTACKER_IP).contains(NEW_KEY).contains("ddb9da4475c1cef7d5389062bdfdfbdbd1394648");
    String art33 = Files.readString(out.resolve("notices/article-33.md"));
    assertThat(art33).contains("Approximate number of data subjects concerned: 4").contains("Agency B");
    assertThat(Files.readString(out.resolve("notices/tenants/Agency_A.md"))).contains("To: dpo@a.eu")
        .contains("Objects read by the attacker: 3");
    assertThat(out.resolve("notices/article-34-Agency_A.md")).exists();
    assertThat(out.resolve("notices/article-34-Agency_B.md")).doesNotExist();
    JsonNode inv = new ObjectMapper().readTree(out.resolve("investigation.json").toFile());
    assertThat(inv.at("/totals/objects_read").asLong()).isEqualTo(4);
    assertThat(inv.at("/remediation").toString()).contains("Rotate secret AWS_ACCESS_KEY_ID")
        .contains("Deactivate and delete access key " + NEW_KEY)
        .contains("Pin .github/workflows/deploy.yml (job deploy) to aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1");
    assertThat(Files.readString(out.resolve("report.md"))).doesNotContain("jan@agency-a.eu");
  }
}
