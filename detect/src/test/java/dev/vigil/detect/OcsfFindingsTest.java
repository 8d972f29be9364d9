package dev.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OCSF Detection Finding of a real Sigma alert on the Stratus backdoor-user log. */
class OcsfFindingsTest {

  private static Path shared() {
    String prop = System.getProperty("vigil.shared");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    if (!p.resolve("corpora").toFile().isDirectory()) {
      throw new IllegalStateException("the shared corpora are missing: expected " + p.toAbsolutePath()
          + "/corpora (set -Dvigil.shared=DIR)");
    }
    return p;
  }

  @Test
  void sigmaAlertBecomesADetectionFinding() throws Exception {
    Path log = shared().resolve(
        "corpora/cloudtrail/stratus-red-team/docs/detonation-logs/aws.persistence.iam-backdoor-user.json");
    List<AuditEvent> events = new ArrayList<>();
    new EventReader().read(List.of(log), events::add);
    Detector d = SigmaRules.load(List.of(shared().resolve("corpora/sigma-aws/rules")), true, Map.of(), w -> {});
    List<Alert> alerts = new ArrayList<>();
    events.forEach(e -> d.accept(e, alerts::add));
    d.finish(alerts::add);
    // SigmaHQ's backdoor-keys rule and Vigil's own rule (a long-term key made a key for another user)
    assertThat(alerts).extracting(Alert::ruleId).containsExactly("8840ff11-5ea3-4660-973e-d5894a47456e",
        "0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2");

    ObjectNode f = OcsfFindings.detectionFinding(alerts.get(0));
    assertThat(f.path("class_uid").asInt()).isEqualTo(2004);
    assertThat(f.path("severity_id").asInt()).isEqualTo(4);
    JsonNode info = f.path("finding_info");
    assertThat(info.path("analytic").path("uid").asText()).isEqualTo("8840ff11-5ea3-4660-973e-d5894a47456e");
    assertThat(info.path("title").asText()).isEqualTo("Access Key Created for Another User With a Long-Term Key");
    assertThat(info.path("related_events").get(0).path("uid").asText())
        .isEqualTo("c64c4ded-ef03-4e5c-81eb-153b118d72f2");
    assertThat(f.path("actor").path("user").path("credential_uid").asText()).isEqualTo("AKIA30BEZSJBVKOFKZW0");
    assertThat(f.path("src_endpoint").path("ip").asText()).isEqualTo("211.9.016.253");
    JsonNode attacks = info.path("attacks");
    assertThat(attacks).hasSize(2);
    assertThat(attacks.get(0).path("technique").path("uid").asText()).isEqualTo("T1098.001");
    assertThat(attacks.get(0).path("sub_technique").path("uid").asText()).isEqualTo("T1098.001");
    assertThat(attacks.get(0).path("tactic").path("uid").asText()).isEqualTo("TA0003");
    assertThat(attacks.get(0).path("tactic").path("name").asText()).isEqualTo("persistence");
    assertThat(attacks.get(1).path("tactic").path("uid").asText()).isEqualTo("TA0004");
    assertThat(info.path("desc").asText()).contains("requestParameters.userName=stratus-red-team-backdoor-u-user");
  }
}
