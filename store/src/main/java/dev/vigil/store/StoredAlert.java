package dev.vigil.store;

import java.util.List;

/** An alert as stored; {@code ocsf} is its OCSF Detection Finding (2004) JSON. */
public record StoredAlert(String id, String incidentId, String ruleId, String severity, long time,
    String actorKey, String sourceIp, List<String> eventIds, String ocsf) {}
