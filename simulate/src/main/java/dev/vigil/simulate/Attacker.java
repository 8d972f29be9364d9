package dev.vigil.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The attack, after CERT-EU's account of the European Commission breach: the CI key stolen by the poisoned Trivy
 * action is validated with TruffleHog (sts:GetCallerIdentity), a new access key is created on an existing IAM user,
 * the new key does reconnaissance and enumerates the tenants' buckets, then bulk-downloads their mail and site
 * files from a few hosts over several hours. Volumes scale with the number of tenants (91.7 GB, 51,992 mail files
 * for 71).
 */
final class Attacker extends Actor {
  static final long DEFAULT_MAIL_FILES = 51_992;
  static final long DEFAULT_SITE_OBJECTS = 4_800;
  static final long DEFAULT_BYTES = 91_700_000_000L;
  private static final int CHUNK = 400;

  /** What the attacker takes from one tenant. */
  static final class Loot {
    final World.Tenant tenant;
    final long[] sizes;
    final int mailFiles;

    Loot(World.Tenant tenant, long[] sizes, int mailFiles) {
      this.tenant = tenant;
      this.sizes = sizes;
      this.mailFiles = mailFiles;
    }
  }

  private record Step(long time, int kind, int host, int tenant, int from, int to) {}

  final List<Loot> loot = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private int nextStep;
  private final Identity stolen;
  private final Identity persistence;
  final long plannedEvents;
  final long mailFiles;
  final long siteObjects;
  final long totalBytes;

  Attacker(World w) {
    super(w, "attacker", 0, 0);
    stolen = w.ci.identity();
    persistence = w.persistenceUser.identity(w.persistenceKey);
    int n = w.tenants.size();
    mailFiles = Math.max(n, Math.round(DEFAULT_MAIL_FILES * n / 71.0));
    siteObjects = Math.max(n, Math.round(DEFAULT_SITE_OBJECTS * n / 71.0));
    totalBytes = Math.round(DEFAULT_BYTES * n / 71.0);
    planLoot();

    long a = w.attackStart;
    long events = 0;
    steps.add(new Step(a, 0, 0, 0, 0, 0));
    events += 1;
    steps.add(new Step(a + 21 * Times.MINUTE + rnd.nextLong(6 * Times.MINUTE), 1, 0, 0, 0, 0));
    events += 3;
    steps.add(new Step(a + 33 * Times.MINUTE + rnd.nextLong(4 * Times.MINUTE), 2, 0, 0, 0, 0));
    events += 1;
    steps.add(new Step(a + 40 * Times.MINUTE + rnd.nextLong(5 * Times.MINUTE), 3, 0, 0, 0, 0));
    events += RECON.length + RECON_REGIONS.length;
    steps.add(new Step(a + 72 * Times.MINUTE + rnd.nextLong(5 * Times.MINUTE), 4, 0, 0, 0, 0));
    events += 1 + 4L * n;
    long[] hostClock = new long[w.downloadAddresses.length];
    for (int h = 0; h < hostClock.length; h++) {
      hostClock[h] = a + 100 * Times.MINUTE + h * 3 * Times.MINUTE + rnd.nextLong(Times.MINUTE);
    }
    for (int i = 0; i < loot.size(); i++) {
      int host = i % hostClock.length;
      long[] sizes = loot.get(i).sizes;
      for (int from = 0; from < sizes.length; from += CHUNK) {
        int to = Math.min(sizes.length, from + CHUNK);
        steps.add(new Step(hostClock[host], 5, host, i, from, to));
        for (int k = from; k < to; k++) {
          hostClock[host] += downloadMillis(sizes[k]);
        }
        hostClock[host] += 2000;
        events += to - from;
      }
    }
    // two days later the persistence key is checked again from another address
    long revisit = w.attackDay + 2 * Times.DAY + 10 * Times.HOUR + rnd.nextLong(2 * Times.HOUR);
    if (revisit < w.end) {
      steps.add(new Step(revisit, 6, 0, 0, 0, 0));
      events += 1;
    }
    steps.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Integer.compare(x.host, y.host));
    long[] starts = new long[steps.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = steps.get(i).time;
    }
    schedule = Schedule.of(starts);
    plannedEvents = events;
  }

  /** Time one download takes: request overhead plus about 3 MB/s per host (a VPS pulling in parallel). */
  private static long downloadMillis(long bytes) {
    return 150 + bytes / 3000 + bytes % 97 * 3;
  }

  private void planLoot() {
    int n = w.tenants.size();
    long[] mail = deal(mailFiles, n);
    long[] site = deal(siteObjects, n);
    double[][] raw = new double[n][];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      raw[i] = new double[(int) (mail[i] + site[i])];
      for (int k = 0; k < raw[i].length; k++) {
        raw[i][k] = k < mail[i] ? 900_000 * Math.exp(rnd.nextGaussian() * 0.9)
            : 2_500_000 * Math.exp(rnd.nextGaussian() * 1.1);
        sum += raw[i][k];
      }
    }
    double scale = totalBytes / sum;
    long total = 0;
    for (int i = 0; i < n; i++) {
      long[] sizes = new long[raw[i].length];
      for (int k = 0; k < sizes.length; k++) {
        sizes[k] = Math.max(200, Math.round(raw[i][k] * scale));
        total += sizes[k];
      }
      loot.add(new Loot(w.tenants.get(i), sizes, (int) mail[i]));
    }
    // make the total exact: adjust the largest object
    Loot biggest = loot.get(0);
    int at = 0;
    for (Loot l : loot) {
      for (int k = 0; k < l.sizes.length; k++) {
        if (l.sizes[k] > biggest.sizes[at]) {
          biggest = l;
          at = k;
        }
      }
    }
    biggest.sizes[at] += totalBytes - total;
  }

  /** Deals {@code count} items over the tenants by weight, at least one each (largest remainder). */
  private long[] deal(long count, int n) {
    double totalWeight = 0;
    for (World.Tenant t : w.tenants) {
      totalWeight += t.weight();
    }
    long[] out = new long[n];
    double[] rem = new double[n];
    long dealt = 0;
    for (int i = 0; i < n; i++) {
      double exact = (count - n) * w.tenants.get(i).weight() / totalWeight;
      out[i] = 1 + (long) Math.floor(exact);
      rem[i] = exact - Math.floor(exact);
      dealt += out[i];
    }
    while (dealt < count) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (rem[i] > rem[best]) {
          best = i;
        }
      }
      out[best]++;
      rem[best] = -1;
      dealt++;
    }
    return out;
  }

  @Override
  long minimum() {
    return plannedEvents;
  }

  @Override
  void plan(long events) {
    // the attack is fixed by the scenario
  }

  private static final String[][] RECON = {
    {"sts", "GetCallerIdentity", "sts.get-caller-identity", ""},
    {"iam", "GetUser", "iam.get-user", ""},
    {"iam", "ListAttachedUserPolicies", "iam.list-attached-user-policies", ""},
    {"iam", "ListUserPolicies", "iam.list-user-policies", ""},
    {"iam", "GetAccountAuthorizationDetails", "iam.get-account-authorization-details", "deny"},
    {"iam", "ListUsers", "iam.list-users", ""},
    {"iam", "ListRoles", "iam.list-roles", ""},
    {"iam", "ListPolicies", "iam.list-policies", ""},
    {"iam", "ListGroups", "iam.list-groups", ""},
    {"iam", "GetAccountSummary", "iam.get-account-summary", ""},
    {"organizations", "DescribeOrganization", "organizations.describe-organization", "deny"},
    {"organizations", "ListAccounts", "organizations.list-accounts", "deny"},
    {"ec2", "DescribeRegions", "ec2.describe-regions", ""},
    {"ec2", "DescribeSecurityGroups", "ec2.describe-security-groups", ""},
    {"ec2", "DescribeSnapshots", "ec2.describe-snapshots", ""},
    {"ec2", "DescribeVpcs", "ec2.describe-vpcs", ""},
    {"lambda", "ListFunctions20150331", "lambda.list-functions", ""},
    {"rds", "DescribeDBInstances", "rds.describe-db-instances", ""},
    {"secretsmanager", "ListSecrets", "secretsmanager.list-secrets", "deny"},
    {"ssm", "DescribeParameters", "ssm.describe-parameters", ""},
    {"kms", "ListKeys", "kms.list-keys", ""},
    {"cloudtrail", "DescribeTrails", "cloudtrail.describe-trails", ""},
    {"cloudtrail", "GetTrailStatus", "cloudtrail.get-trail-status", ""},
    {"guardduty", "ListDetectors", "guardduty.list-detectors", "deny"},
    {"ses", "ListIdentities", "ses.list-identities", ""},
    {"route53", "ListHostedZones", "route53.list-hosted-zones", ""},
    {"cloudfront", "ListDistributions", "cloudfront.list-distributions", ""},
    {"dynamodb", "ListTables", "dynamodb.list-tables", ""},
    {"sns", "ListTopics", "sns.list-topics", ""},
    {"sqs", "ListQueues", "sqs.list-queues", ""},
    {"ecr", "DescribeRepositories", "ecr.describe-repositories", "deny"},
    {"eks", "ListClusters", "eks.list-clusters", "deny"},
    {"logs", "DescribeLogGroups", "logs.describe-log-groups", ""},
    {"backup", "ListBackupPlans", "backup.list-backup-plans", "deny"},
  };
  private static final String[] RECON_REGIONS = {
    "eu-west-1", "eu-central-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "us-east-1", "us-west-2"
  };

  @Override
  void episode(long start, Consumer<SimEvent> sink) {
    Step step = steps.get(nextStep++);
    Consumer<SimEvent> out = e -> {
      e.attacker = true;
      sink.accept(e);
    };
    String g = World.GLOBAL;
    long t = start;
    switch (step.kind) {
      case 0 -> out.accept(call(t, g, "sts.amazonaws.com", "GetCallerIdentity", stolen, World.IP_TRUFFLEHOG,
          Agents.TRUFFLEHOG).readOnly(true).resp("userId", stolen.principalId, "account", World.ACCOUNT,
          "arn", stolen.arn));
      case 1 -> {
        String ip = World.IP_TRUFFLEHOG;
        String user = w.persistenceUser.name();
        out.accept(call(t, g, "iam.amazonaws.com", "ListUsers", stolen, ip, Agents.kaliCli("iam.list-users"))
            .readOnly(true));
        t += gap(40_000, 120_000);
        out.accept(call(t, g, "iam.amazonaws.com", "ListAccessKeys", stolen, ip,
            Agents.kaliCli("iam.list-access-keys")).readOnly(true).req("userName", user));
        t += gap(20_000, 60_000);
        out.accept(call(t, g, "iam.amazonaws.com", "CreateAccessKey", stolen, ip,
            Agents.kaliCli("iam.create-access-key")).req("userName", user)
            .resp("accessKey", new Object[] {"userName", user, "accessKeyId", w.persistenceKey, "status", "Active",
                "createDate", Times.iamDate(t)}));
      }
      case 2, 6 -> out.accept(call(t, g, "sts.amazonaws.com", "GetCallerIdentity", persistence, World.IP_REVALIDATE,
          Agents.TRUFFLEHOG).readOnly(true).resp("userId", persistence.principalId, "account", World.ACCOUNT,
          "arn", persistence.arn));
      case 3 -> recon(t, out);
      case 4 -> enumerate(t, out);
      case 5 -> download(t, step, out);
      default -> throw new IllegalStateException("step " + step.kind);
    }
  }

  private void recon(long t, Consumer<SimEvent> out) {
    String ip = World.IP_ORG_RECON;
    for (String[] c : RECON) {
      String service = c[0];
      String region = switch (service) {
        case "iam", "organizations", "route53", "cloudfront", "sts" -> World.GLOBAL;
        default -> World.HOME;
      };
      SimEvent e = call(t, region, service + ".amazonaws.com", c[1], persistence, ip, Agents.kaliCli(c[2]))
          .readOnly(true);
      if (c[1].equals("GetUser")) {
        e.req("userName", w.persistenceUser.name());
      }
      if (c[3].equals("deny")) {
        e.error("AccessDenied", "User: " + persistence.arn + " is not authorized to perform: " + service + ":" + c[1]
            + " because no identity-based policy allows the " + service + ":" + c[1] + " action");
      }
      out.accept(e);
      t += gap(1500, 15_000);
    }
    for (String region : RECON_REGIONS) {
      out.accept(call(t, region, "ec2.amazonaws.com", "DescribeInstances", persistence, ip,
          Agents.kaliCli("ec2.describe-instances")).readOnly(true));
      t += gap(1500, 6000);
    }
  }

  private void enumerate(long t, Consumer<SimEvent> out) {
    String ip = World.IP_S3_ENUM;
    out.accept(call(t, World.GLOBAL, "s3.amazonaws.com", "ListBuckets", persistence, ip, Agents.kaliCli("s3.ls"))
        .readOnly(true).req("Host", "s3.amazonaws.com"));
    t += gap(5000, 20_000);
    for (World.Tenant tenant : w.tenants) {
      out.accept(bucketCall(t, tenant.region(), "GetBucketLocation", persistence, ip,
          Agents.kaliCli("s3api.get-bucket-location"), tenant.bucket(), "location"));
      t += gap(300, 2000);
      for (String prefix : new String[] {"", "mail/outbound/", "site/"}) {
        out.accept(list(t, tenant.region(), persistence, ip, Agents.kaliCli("s3.ls"), tenant.bucket(), prefix));
        t += gap(300, 2500);
      }
    }
  }

  private void download(long t, Step step, Consumer<SimEvent> out) {
    Loot l = loot.get(step.tenant);
    String ip = w.downloadAddresses[step.host];
    String ua = step.host == 0 ? Agents.kaliCli("s3.sync") : Agents.RCLONE;
    for (int k = step.from; k < step.to; k++) {
      String key = k < l.mailFiles ? mailKey(w.attackDay - rnd.nextLong(700) * Times.DAY) : sitePath();
      out.accept(s3(t, l.tenant.region(), "GetObject", persistence, ip, ua, l.tenant.bucket(), key, l.sizes[k], 0));
      t += downloadMillis(l.sizes[k]);
    }
  }
}
