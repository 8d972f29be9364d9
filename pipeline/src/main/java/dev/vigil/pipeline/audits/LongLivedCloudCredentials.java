package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Contexts;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Static cloud keys (AWS access keys, Azure service-principal secrets, GCP service-account keys) kept as secrets,
 * where the cloud's OIDC federation would give the job short-lived credentials instead.
 */
public final class LongLivedCloudCredentials implements Audit {
  static final AuditInfo INFO = new AuditInfo("long-lived-cloud-credentials",
      "long-lived cloud key where OIDC would do", Severity.HIGH,
      "A static cloud key in CI is valid until someone rotates it: the key stolen from the European Commission's "
          + "pipeline was validated with TruffleHog and used to create a new access key days later. OIDC gives "
          + "each job a credential that expires within the hour and is bound to the repository and branch.",
      "Grant 'permissions: id-token: write' and assume a role (aws-actions/configure-aws-credentials with "
          + "role-to-assume, azure/login with client-id/tenant-id, google-github-actions/auth with "
          + "workload_identity_provider); then delete the static key.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect",
          "https://github.com/aws-actions/configure-aws-credentials#oidc"),
      null);

  private static final Pattern KEY_NAME = Pattern.compile(
      "(?i)(aws_?secret_?access_?key|aws_?access_?key(_?id)?|azure_?credentials|azure_?client_?secret"
          + "|arm_?client_?secret|gcp_?sa_?key|gcp_?credentials|google_?credentials|gcloud_?service_?key"
          + "|service_?account_?key|gcp_?service_?account_?key)");
  private static final Set<String> KEY_INPUTS = Set.of("aws-secret-access-key", "aws-access-key-id", "creds",
      "credentials_json", "client-secret");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    List<YNode> where = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    collect(job.workflow().env(), names, where);
    collect(job.env(), names, where);
    for (Step s : job.steps()) {
      collect(s.env(), names, where);
      collect(s.with(), names, where);
      if (s.with() != null && s.with().isMap()) {
        for (YNode.Entry e : s.with().entries()) {
          if (KEY_INPUTS.contains(e.key().text()) && e.value().isScalar() && e.value().text().contains("secrets.")) {
            names.addAll(Contexts.secretNames(e.value().text()));
            where.add(e.key());
          }
        }
      }
    }
    if (names.isEmpty()) {
      return;
    }
    ctx.finding(this, job.file(), where.get(0)).confidence(Confidence.MEDIUM)
        .message("job '" + job.id() + "' uses long-lived cloud credentials (" + String.join(", ", names)
            + "); use OIDC (id-token: write and a role to assume) instead")
        .note(job.keyNode(), "this job").fact("secrets", String.join(",", names)).fact("job", job.id()).emit();
  }

  private static void collect(YNode block, Set<String> names, List<YNode> where) {
    if (block == null || !block.isMap()) {
      return;
    }
    for (YNode.Entry e : block.entries()) {
      for (String s : Contexts.secretNames(e.value())) {
        if (KEY_NAME.matcher(s).find()) {
          if (names.add(s)) {
            where.add(e.key());
          }
        }
      }
    }
  }
}
