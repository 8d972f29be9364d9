package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import dev.vigil.store.IncidentQuery;
import dev.vigil.store.Role;
import dev.vigil.store.StoredAlert;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.Touch;
import dev.vigil.store.User;
import dev.vigil.store.VigilStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API and the dashboard on the JDK's HTTP server. Bearer-token authentication (tokens hashed in the
 * store), roles, tenant isolation, a per-client rate limit, secure headers; no token is ever logged.
 */
public final class ApiServer implements AutoCloseable {
  /** Largest accepted POST body; larger ones get 413. */
  public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INCIDENT = Pattern.compile("/api/incidents/([^/]+)(?:/(alerts|events|acknowledge|assign|close))?");
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");

  private final VigilStore store;
  private final IngestPipeline pipeline;
  private final HttpServer http;
  private final ExecutorService executor;
  private final int maxBody;
  private final RateLimiter limiter;

  public ApiServer(VigilStore store, IngestPipeline pipeline, InetSocketAddress listen, int maxBody,
      RateLimiter limiter) throws IOException {
    this.store = store;
    this.pipeline = pipeline;
    this.maxBody = maxBody;
    this.limiter = limiter;
    this.http = HttpServer.create(listen, 256);
    this.executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "vigil-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
  }

  public void start() {
    http.start();
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An HTTP error with a status and a message for the client. */
  static final class HttpError extends Exception {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      secureHeaders(ex);
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        if (method.equals("GET") && STATIC.containsKey(path)) {
          serveStatic(ex, STATIC.get(path));
          return;
        }
        if (method.equals("GET") && path.equals("/api/openapi.json")) {
          send(ex, 200, OpenApi.document());
          return;
        }
        if (!path.startsWith("/api/")) {
          throw new HttpError(404, "no such page");
        }
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        if (!limiter.allow(client)) {
          ex.getResponseHeaders().set("Retry-After", "1");
          throw new HttpError(429, "too many requests; slow down");
        }
        User user = authenticate(ex);
        route(ex, method, path, user);
      } catch (HttpError e) {
        ObjectNode err = JSON.createObjectNode().put("error", e.getMessage()).put("status", e.status);
        if (e.status == 401) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil\"");
        }
        send(ex, e.status, err);
      } catch (Exception e) {
        System.err.println("vigil serve: " + method + " " + path + " failed: " + e);
        send(ex, 500, JSON.createObjectNode().put("error", "internal error").put("status", 500));
      }
    }
  }

  private User authenticate(HttpExchange ex) throws Exception {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpError(401, "a token is required: Authorization: Bearer <token>");
    }
    return store.authenticate(header.substring(7).trim())
        .orElseThrow(() -> new HttpError(401, "unknown token"));
  }

  private void route(HttpExchange ex, String method, String path, User user) throws Exception {
    Map<String, String> q = query(ex);
    if (method.equals("GET") && path.equals("/api/me")) {
      ObjectNode me = JSON.createObjectNode().put("name", user.name()).put("role", user.role().wire());
      me.put("tenant", user.tenant());
      send(ex, 200, me);
    } else if (method.equals("GET") && path.equals("/api/incidents")) {
      IncidentQuery query = new IncidentQuery(q.get("status"), severityRank(q.get("severity")), q.get("touching"),
          viewerTenant(user), intParam(q, "offset", 0, 0, Integer.MAX_VALUE), intParam(q, "limit", 50, 1, 500));
      ArrayNode items = JSON.createArrayNode();
      for (StoredIncident i : store.incidents(query)) {
        items.add(summary(i));
      }
      ObjectNode page = JSON.createObjectNode();
      page.set("items", items);
      page.put("offset", query.offset()).put("limit", query.limit()).put("changes", pipeline.changes());
      send(ex, 200, page);
    } else if (method.equals("GET") && path.equals("/api/alerts")) {
      requireWorker(user);
      send(ex, 200, alertPage(store.alerts(q.get("incident"), q.get("rule"), intParam(q, "offset", 0, 0,
          Integer.MAX_VALUE), intParam(q, "limit", 50, 1, 500))));
    } else if (method.equals("GET") && path.equals("/api/rules")) {
      ArrayNode rules = JSON.createArrayNode();
      for (var d : pipeline.detectors()) {
        rules.add(JSON.createObjectNode().put("detector", d.getClass().getSimpleName()));
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("detectors", rules);
      send(ex, 200, out);
    } else if (method.equals("GET") && path.equals("/api/tenants")) {
      ArrayNode tenants = JSON.createArrayNode();
      for (var t : store.tenants().entrySet()) {
        if (user.role() == Role.TENANT_VIEWER && !t.getKey().equals(user.tenant())) {
          continue;
        }
        ObjectNode o = tenants.addObject().put("name", t.getKey());
        ArrayNode res = o.putArray("resources");
        for (Touch r : t.getValue()) {
          res.addObject().put("kind", r.kind()).put("value", r.value());
        }
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("items", tenants);
      send(ex, 200, out);
    } else if (method.equals("GET") && path.equals("/api/audit")) {
      requireRole(user, Role.ADMIN);
      ArrayNode items = JSON.createArrayNode();
      for (var e : store.auditLog(intParam(q, "limit", 100, 1, 1000))) {
        items.addObject().put("id", e.id()).put("at", e.at()).put("user", e.user()).put("action", e.action())
            .put("target", e.target()).put("comment", e.detail());
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("items", items);
      send(ex, 200, out);
    } else if (method.equals("POST") && path.equals("/api/events")) {
      requireRole(user, Role.ADMIN);
      ingest(ex, user);
    } else {
      Matcher m = INCIDENT.matcher(path);
      if (!m.matches()) {
        throw new HttpError(404, "no such endpoint: " + method + " " + path);
      }
      String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      String sub = m.group(2);
      StoredIncident inc = visibleIncident(id, user);
      if (method.equals("GET") && sub == null) {
        ObjectNode o = summary(inc);
        o.set("detail", JSON.readTree(inc.body()));
        send(ex, 200, o);
      } else if (method.equals("GET") && sub.equals("alerts")) {
        send(ex, 200, alertPage(store.alerts(id, null, intParam(q, "offset", 0, 0, Integer.MAX_VALUE),
            intParam(q, "limit", 100, 1, 500))));
      } else if (method.equals("GET") && sub.equals("events")) {
        JsonNode detail = JSON.readTree(inc.body());
        List<String> ids = new ArrayList<>();
        detail.path("evidence_event_ids").forEach(n -> ids.add(n.asText()));
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(q, "limit", 100, 1, 500);
        List<String> page = ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + limit));
        ArrayNode items = JSON.createArrayNode();
        for (String raw : store.events(page)) {
          items.add(JSON.readTree(raw));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("items", items);
        out.put("total", ids.size()).put("offset", offset).put("limit", limit);
        send(ex, 200, out);
      } else if (method.equals("POST") && sub != null && !sub.equals("alerts") && !sub.equals("events")) {
        requireWorker(user);
        JsonNode body = readJson(ex);
        String comment = body.path("comment").asText("");
        if (comment.length() > 4000) {
          throw new HttpError(400, "comment: at most 4000 characters");
        }
        String status = switch (sub) {
          case "acknowledge" -> "acknowledged";
          case "close" -> "closed";
          default -> null;
        };
        String assignee = null;
        if (sub.equals("assign")) {
          assignee = body.path("assignee").asText("");
          if (assignee.isBlank()) {
            throw new HttpError(400, "assignee: required");
          }
        }
        store.updateIncident(id, status, assignee, user, sub, comment);
        send(ex, 200, summary(store.incident(id, null).orElseThrow()));
      } else {
        throw new HttpError(405, method + " not allowed on " + path);
      }
    }
  }

  private StoredIncident visibleIncident(String id, User user) throws Exception {
    Optional<StoredIncident> inc = store.incident(id, null);
    if (inc.isEmpty()) {
      throw new HttpError(404, "no incident " + id);
    }
    if (user.role() == Role.TENANT_VIEWER && store.incident(id, user.tenant()).isEmpty()) {
      throw new HttpError(403, "this incident does not touch your tenant");
    }
    return inc.get();
  }

  private static String viewerTenant(User user) {
    return user.role() == Role.TENANT_VIEWER ? (user.tenant() == null ? "\u0000none" : user.tenant()) : null;
  }

  private static void requireWorker(User user) throws HttpError {
    if (!user.canWork()) {
      throw new HttpError(403, "analysts and admins only");
    }
  }

  private static void requireRole(User user, Role role) throws HttpError {
    if (user.role() != role) {
      throw new HttpError(403, role.wire() + " only");
    }
  }

  /** POST /api/events: a CloudTrail batch; valid records are ingested, bad ones quarantined and reported. */
  private void ingest(HttpExchange ex, User user) throws Exception {
    JsonNode body = readJson(ex);
    JsonNode records = body.isArray() ? body : body.get("Records");
    if (records == null || !records.isArray()) {
      throw new HttpError(400, "expected {\"Records\": [...]} or a JSON array of CloudTrail records");
    }
    List<AuditEvent> events = new ArrayList<>();
    ArrayNode problems = JSON.createArrayNode();
    for (int i = 0; i < records.size(); i++) {
      JsonNode r = records.get(i);
      String reason;
      String field = null;
      try {
        if (!r.isObject()) {
          throw new CloudTrailNormalizer.RejectedRecord(null, "record is not a JSON object");
        }
        if (!r.path("eventID").isTextual() || r.path("eventID").asText().isBlank()) {
          throw new CloudTrailNormalizer.RejectedRecord("eventID", "missing 'eventID' (needed to de-duplicate)");
        }
        events.add(CloudTrailNormalizer.normalize(r, new AuditEvent.Origin("POST /api/events", i)));
        continue;
      } catch (CloudTrailNormalizer.RejectedRecord e) {
        reason = e.getMessage();
        field = e.field();
      }
      store.quarantine("POST /api/events record " + i, (field == null ? "" : field + ": ") + reason, r.toString());
      problems.addObject().put("record", i).put("field", field).put("reason", reason);
    }
    int fresh = pipeline.ingest(events);
    ObjectNode out = JSON.createObjectNode().put("records", records.size()).put("accepted", events.size())
        .put("new", fresh).put("duplicates", events.size() - fresh).put("quarantined", problems.size());
    out.set("problems", problems);
    send(ex, problems.isEmpty() ? 200 : 400, out);
  }

  private JsonNode readJson(HttpExchange ex) throws Exception {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBody) {
          discard(ex);
          throw new HttpError(413, "body larger than " + maxBody + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length");
      }
    }
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(maxBody + 1);
    }
    if (bytes.length > maxBody) {
      discard(ex);
      throw new HttpError(413, "body larger than " + maxBody + " bytes");
    }
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpError(400, "body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Reads and drops a refused body (up to a bound) so the client receives the 413 instead of a reset connection.
   */
  private void discard(HttpExchange ex) {
    ex.getResponseHeaders().set("Connection", "close");
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[65536];
      long left = 8L * maxBody;
      int n;
      while (left > 0 && (n = in.read(buf)) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  private static ObjectNode summary(StoredIncident i) {
    ObjectNode o = JSON.createObjectNode().put("id", i.id()).put("title", i.title()).put("severity", i.severity())
        .put("status", i.status()).put("assignee", i.assignee()).put("opened", java.time.Instant
            .ofEpochMilli(i.openedAt()).toString()).put("updated", java.time.Instant.ofEpochMilli(i.updatedAt())
            .toString());
    ArrayNode tenants = o.putArray("tenants");
    for (Touch t : i.touches()) {
      if (t.kind().equals("tenant")) {
        tenants.add(t.value());
      }
    }
    return o;
  }

  private static ObjectNode alertPage(List<StoredAlert> alerts) throws IOException {
    ArrayNode items = JSON.createArrayNode();
    for (StoredAlert a : alerts) {
      ObjectNode o = items.addObject().put("id", a.id()).put("incident", a.incidentId()).put("rule", a.ruleId())
          .put("severity", a.severity()).put("time", java.time.Instant.ofEpochMilli(a.time()).toString())
          .put("actor_key", a.actorKey()).put("source_ip", a.sourceIp());
      ArrayNode ids = o.putArray("event_ids");
      a.eventIds().forEach(ids::add);
      o.set("ocsf", JSON.readTree(a.ocsf()));
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("items", items);
    return out;
  }

  private static Integer severityRank(String s) throws HttpError {
    if (s == null) {
      return null;
    }
    try {
      return dev.vigil.detect.Severity.valueOf(s.toUpperCase(Locale.ROOT)).ordinal();
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "severity: one of informational, low, medium, high, critical");
    }
  }

  private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) throws HttpError {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + ": an integer between " + min + " and " + max);
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static void secureHeaders(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
  }

  private static void serveStatic(HttpExchange ex, String name) throws IOException {
    try (InputStream in = ApiServer.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        send(ex, 404, JSON.createObjectNode().put("error", "missing " + name));
        return;
      }
      byte[] bytes = in.readAllBytes();
      String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
      ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A fixed-window limit per client address. */
  public static final class RateLimiter {
    private final int perWindow;
    private final long windowMillis;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public RateLimiter(int perWindow, long windowMillis) {
      this.perWindow = perWindow;
      this.windowMillis = windowMillis;
    }

    boolean allow(String client) {
      long now = System.currentTimeMillis();
      long[] w = windows.computeIfAbsent(client, k -> new long[] {now, 0});
      synchronized (w) {
        if (now - w[0] >= windowMillis) {
          w[0] = now;
          w[1] = 0;
        }
        return ++w[1] <= perWindow;
      }
    }
  }
}
