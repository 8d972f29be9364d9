package dev.vigil.pipeline.audit;

import dev.vigil.pipeline.model.ActionFile;
import dev.vigil.pipeline.model.GitlabCi;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Workflow;

/**
 * One audit: metadata plus a hook per kind of element it cares about. The engine walks every file and calls
 * the hooks; an audit reports findings through the {@link AuditContext}. Audits keep no state between calls.
 */
public interface Audit {
  AuditInfo info();

  default void workflow(Workflow workflow, AuditContext ctx) {}

  /** Every job of every workflow, normal jobs and reusable-workflow calls. */
  default void job(Job job, AuditContext ctx) {}

  /** Every step, of workflow jobs ({@code step.job() != null}) and of composite actions. */
  default void step(Step step, AuditContext ctx) {}

  default void action(ActionFile action, AuditContext ctx) {}

  default void gitlab(GitlabCi gitlab, AuditContext ctx) {}
}
