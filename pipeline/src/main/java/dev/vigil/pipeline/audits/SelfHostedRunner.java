package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/**
 * Jobs on self-hosted runners. With a trigger that outsiders can fire (pull requests from forks, comments) this
 * lets them run code on your machine, which keeps state between jobs (high); otherwise it is noted for auditors.
 */
public final class SelfHostedRunner implements Audit {
  static final AuditInfo INFO = new AuditInfo("self-hosted-runner", "self-hosted runner reachable from outside",
      Severity.HIGH,
      "Self-hosted runners are not wiped between jobs and usually sit inside your network with cloud credentials "
          + "on disk. A workflow that anyone can trigger (pull_request from a fork, issue_comment...) lets them "
          + "run code there and persist.",
      "Run public-triggered jobs on GitHub-hosted runners; use ephemeral, isolated self-hosted runners "
          + "(--ephemeral, one job per VM) for private work only, and require approval for fork pull requests.",
      List.of("https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security"),
      "self-hosted-runner");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    YNode runsOn = job.runsOn();
    if (runsOn == null) {
      return;
    }
    String why = null;
    YNode note = null;
    Confidence confidence = Confidence.HIGH;
    if (runsOn.isMap() && runsOn.get("group") != null) {
      why = "runner group implies a self-hosted runner";
      confidence = Confidence.LOW;
    } else if (runsOn.strings().stream().anyMatch(s -> s.equalsIgnoreCase("self-hosted"))
        || (runsOn.isMap() && runsOn.get("labels") != null
            && runsOn.get("labels").strings().stream().anyMatch(s -> s.equalsIgnoreCase("self-hosted")))) {
      why = "self-hosted runner";
    } else if (runsOn.isScalar() && runsOn.text().contains("matrix.") && job.strategy() != null
        && job.strategy().get("matrix") != null) {
      boolean[] selfHosted = {false};
      YNode matrix = job.strategy().get("matrix");
      String key = runsOn.text().replaceAll(".*matrix\\.([A-Za-z0-9_-]+).*", "$1");
      boolean excluded = false;
      YNode exclude = matrix.get("exclude");
      if (exclude != null && exclude.isSeq()) {
        // an exclusion naming only this key removes the self-hosted value altogether
        excluded = exclude.items().stream().anyMatch(x -> x.isMap() && x.entries().size() == 1
            && "self-hosted".equalsIgnoreCase(x.str(key)));
      }
      for (YNode.Entry e : matrix.entries()) {
        if (!"exclude".equals(e.key().text())) {
          e.value().scalars(s -> selfHosted[0] |= s.text().equalsIgnoreCase("self-hosted"));
        }
      }
      if (selfHosted[0] && !excluded) {
        why = "the matrix puts this job on a self-hosted runner";
        note = matrix;
      }
    }
    if (why == null) {
      return;
    }
    Workflow w = job.workflow();
    var b = ctx.finding(this, job.file(), runsOn.isMap() || runsOn.isSeq() ? job.node().keyNode("runs-on") : runsOn)
        .confidence(confidence).note(note, "matrix declares a self-hosted runner").fact("job", job.id());
    if (w.publiclyTriggered()) {
      b.message(why + ", and the workflow can be triggered from outside (" + String.join(", ", w.triggers()
          .stream().filter(Workflow.PUBLIC_TRIGGERS::contains).toList()) + ")").emit();
    } else {
      b.severity(Severity.MEDIUM).persona(Persona.AUDITOR).message(why + " (triggers are not public)").emit();
    }
  }
}
