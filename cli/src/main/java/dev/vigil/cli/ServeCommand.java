package dev.vigil.cli;

import dev.vigil.detect.incident.TenantMap;
import dev.vigil.server.VigilServer;
import dev.vigil.server.notify.NotificationChannel;
import dev.vigil.server.notify.Notifier;
import dev.vigil.server.notify.SmtpChannel;
import dev.vigil.server.notify.WebhookChannel;
import dev.vigil.store.Role;
import dev.vigil.store.User;
import dev.vigil.store.VigilStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil serve}: the incident service (store, continuous detection, API, dashboard). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run Vigil as a multi-tenant incident service: continuous detection over a watched directory "
        + "and POSTed CloudTrail batches, a REST API (OpenAPI at /api/openapi.json) and a dashboard.", ""},
    footerHeading = "%nExamples:%n",
    footer = {"  vigil serve --demo                    # simulated breach; prints token, URL",
        "  vigil serve --demo --port 9000        # the same on http://127.0.0.1:9000/",
        "  vigil serve --watch /data/cloudtrail  # embedded store in ./vigil-data",
        "  vigil serve --db postgresql://vigil:secret@db/vigil --listen 0.0.0.0:8737",
        "  vigil serve --add-user ana:analyst --add-user acme-ro:tenant_viewer:acme",
        "  VIGIL_WEBHOOK_SECRET=... vigil serve --webhook https://soar.example/hook",
        "  VIGIL_SMTP_PASSWORD=... vigil serve --smtp smtp://bot@mail.example:587 \\",
        "      --mail-from vigil@soc.example --mail-to oncall@soc.example",
        "", "See docs/SERVER.md for the API, roles, the store, PostgreSQL and notifications."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--db", paramLabel = "URL", defaultValue = "vigil-data/vigil",
      description = "The store: a file path for the embedded store (default: ${DEFAULT-VALUE}.mv.db), or "
          + "postgresql://user:password@host:port/db.")
  String db;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:8737",
      description = "Where to listen (default: ${DEFAULT-VALUE}, loopback only; port 0 picks a free one).")
  String listen;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Shorthand for --listen 127.0.0.1:PORT (loopback only).")
  Integer port;

  @Option(names = "--watch", paramLabel = "DIR",
      description = "Follow a directory in the S3 delivery layout (AWSLogs/...) and ingest new files.")
  Path watch;

  @Option(names = "--demo", description = "Simulate the EC breach into a temporary directory, ingest it and print "
      + "a ready admin token and URL.")
  boolean demo;

  @Option(names = "--demo-events", paramLabel = "N", defaultValue = "20000", hidden = true,
      description = "Background events of the demo simulation (default: ${DEFAULT-VALUE}).")
  long demoEvents;

  @Option(names = "--add-user", paramLabel = "NAME:ROLE[:TENANT]",
      description = "Create (or update) a user and print a new token for it; ROLE is admin, analyst or "
          + "tenant_viewer (which needs TENANT).")
  List<String> addUsers = new ArrayList<>();

  @Option(names = "--tenants", paramLabel = "FILE", description = "Bucket/prefix to tenant map (as for detect).")
  Path tenantsFile;

  @Option(names = "--webhook", paramLabel = "URL",
      description = "POST a JSON notice to URL when an incident opens or escalates (repeatable). Signed with "
          + "HMAC-SHA256 in X-Vigil-Signature-256 when the environment variable VIGIL_WEBHOOK_SECRET is set.")
  List<String> webhooks = new ArrayList<>();

  @Option(names = "--smtp", paramLabel = "URL",
      description = "Send an e-mail when an incident opens or escalates, through smtp://[user@]host[:port] "
          + "(STARTTLS when offered) or smtps://[user@]host[:port]. The password comes from VIGIL_SMTP_PASSWORD.")
  String smtp;

  @Option(names = "--mail-from", paramLabel = "ADDRESS", description = "Sender of the e-mails (with --smtp).")
  String mailFrom;

  @Option(names = "--mail-to", paramLabel = "ADDRESS", description = "Recipient of the e-mails (repeatable).")
  List<String> mailTo = new ArrayList<>();

  @Option(names = "--notify-attempts", paramLabel = "N", defaultValue = "5",
      description = "Attempts per notification, with doubling back-off from 2 s (default: ${DEFAULT-VALUE}).")
  int notifyAttempts;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "The dashboard's address as readers reach it, for links in notifications "
          + "(default: the listen address).")
  String publicUrl;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = parseListen(port == null ? listen : "127.0.0.1:" + port);
    Notifier notifier = notifier(address);
    Path watchDir = watch;
    if (watchDir != null && !Files.isDirectory(watchDir)) {
      throw new UserException("--watch " + watchDir + ": no such directory");
    }
    if (demo) {
      watchDir = Files.createTempDirectory("vigil-serve-demo");
      simulate(watchDir);
    }
    if (!db.contains("://") && !db.startsWith("jdbc:")) {
      Path parent = Path.of(db).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
    VigilStore store;
    try {
      store = VigilStore.open(db);
    } catch (java.sql.SQLException e) {
      throw new UserException("cannot open the store " + safe(db) + ": " + e.getMessage());
    }
    PrintStream out = System.out;
    for (String spec : addUsers) {
      String[] p = spec.split(":");
      if (p.length < 2) {
        throw new UserException("--add-user " + spec + ": expected NAME:ROLE[:TENANT]");
      }
      Role role;
      try {
        role = Role.parse(p[1]);
      } catch (IllegalArgumentException e) {
        throw new UserException("--add-user " + spec + ": role must be admin, analyst or tenant_viewer");
      }
      if (role == Role.TENANT_VIEWER && p.length < 3) {
        throw new UserException("--add-user " + spec + ": a tenant_viewer needs a tenant (NAME:tenant_viewer:TENANT)");
      }
      if (role == Role.TENANT_VIEWER && !store.tenants().containsKey(p[2])) {
        store.putTenant(p[2], p[2], List.of());
      }
      store.putUser(new User(p[0], role, p.length > 2 ? p[2] : null));
      out.println("token for " + p[0] + " (" + role.wire() + "): " + store.issueToken(p[0]));
    }
    String adminToken = null;
    if (demo || !hasUsers(store)) {
      store.putUser(new User("admin", Role.ADMIN, null));
      adminToken = store.issueToken("admin");
    }
    TenantMap tenants = DetectionRun.tenants(tenantsFile);
    DetectCommand detect = new DetectCommand();
    new CommandLine(detect).parseArgs("."); // only its detector options are used; the path is ignored
    VigilServer server = new VigilServer(store, detect.detectors(), tenants, address, watchDir,
        (kind, inc) -> {
          System.err.println("vigil serve: " + kind + " incident " + inc.id() + " [" + inc.severity() + "] "
              + inc.title());
          notifier.accept(kind, inc);
        });
    server.start();
    out.println("Vigil is serving " + server.url() + " (store: " + store.description() + ")");
    for (NotificationChannel channel : notifier.channels()) {
      out.println("Notifying: " + channel.describe());
    }
    if (adminToken != null) {
      out.println("Admin token (shown once; only its hash is stored): " + adminToken);
      out.println("Sign in at " + server.url() + " with it, or: curl -H 'Authorization: Bearer " + adminToken
          + "' " + server.url() + "api/incidents");
    }
    if (watchDir != null) {
      out.println("Watching " + watchDir);
    }
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      notifier.close(java.time.Duration.ofSeconds(5));
      try {
        store.close();
      } catch (java.sql.SQLException e) {
        // closing on the way out; nothing to do
      }
      stop.countDown();
    }));
    stop.await();
    return ExitCode.OK;
  }

  /** The notification channels from the options; checked before anything starts, so a typo fails fast. */
  Notifier notifier(InetSocketAddress address) {
    List<NotificationChannel> channels = new ArrayList<>();
    String signingSecret = System.getenv("VIGIL_WEBHOOK_SECRET");
    for (String url : webhooks) {
      try {
        channels.add(new WebhookChannel(java.net.URI.create(url), signingSecret, java.time.Duration.ofSeconds(10)));
      } catch (IllegalArgumentException e) {
        throw new UserException("--webhook: " + (e.getMessage().startsWith("a webhook") ? e.getMessage()
            : "not a URL"));
      }
    }
    if (smtp != null) {
      if (mailFrom == null || mailTo.isEmpty()) {
        throw new UserException("--smtp needs --mail-from ADDRESS and at least one --mail-to ADDRESS");
      }
      try {
        channels.add(new SmtpChannel(SmtpChannel.Settings.parse(smtp, System.getenv("VIGIL_SMTP_PASSWORD"), mailFrom,
            mailTo, 30_000)));
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    } else if (mailFrom != null || !mailTo.isEmpty()) {
      throw new UserException("--mail-from and --mail-to need --smtp URL");
    }
    if (notifyAttempts < 1) {
      throw new UserException("--notify-attempts must be at least 1");
    }
    String links = publicUrl != null ? publicUrl
        : address.getPort() == 0 ? null : "http://" + address.getHostString() + ":" + address.getPort() + "/";
    return new Notifier(channels, new Notifier.Retry(notifyAttempts, java.time.Duration.ofSeconds(2),
        java.time.Duration.ofMinutes(2)), links, line -> System.err.println("vigil serve: " + line), 10_000);
  }

  private static boolean hasUsers(VigilStore store) throws java.sql.SQLException {
    return store.userCount() > 0;
  }

  static String safe(String db) {
    return db.replaceAll("(://[^:/@]+):[^@]*@", "$1:***@");
  }

  static InetSocketAddress parseListen(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new UserException("--listen " + s + ": expected ADDR:PORT, e.g. 127.0.0.1:8737");
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      return new InetSocketAddress(s.substring(0, colon).replace("[", "").replace("]", ""), port);
    } catch (IllegalArgumentException e) {
      throw new UserException("--listen " + s + ": bad port");
    }
  }

  private void simulate(Path dir) {
    PrintStream saved = System.out;
    List<String> args = List.of("simulate", "ec-breach", "--out", dir.toString(), "--seed", "7", "--days", "7",
        "--background-events", Long.toString(demoEvents), "--quiet");
    int code;
    try {
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      code = VigilCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(saved);
    }
    if (code != ExitCode.OK) {
      throw new UserException("the demo simulation failed (exit code " + code + ")");
    }
  }
}
