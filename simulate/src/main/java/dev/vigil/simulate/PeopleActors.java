package dev.vigil.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** CI, operators, administrators and the service users with long-term keys. */
final class PeopleActors {
  private PeopleActors() {}

  static String distributionId(World w, World.Tenant t) {
    return "E" + Ids.upperAlnum(new java.util.SplittableRandom(Ids.mix(w.seed, "distribution", t.name())), 13);
  }

  /**
   * The CI deploy user's long-lived key, used by GitHub Actions: every run comes from a new runner address, checks
   * the key (GetCallerIdentity, as configure-aws-credentials does), syncs one to three tenants' sites and invalidates
   * their CloudFront cache. One run on the attack day is the one whose secrets the poisoned Trivy action stole.
   */
  static final class CiDeploy extends Actor {
    private final java.util.Set<String> runnerAddresses = new java.util.HashSet<>();
    /** The address of the run whose secrets were stolen (set when that run is generated). */
    String exposureAddress;

    CiDeploy(World w) {
      super(w, "ci", 0.06, 3);
      long runs = Math.max(1, Math.round(w.days * 5.3));
      schedule = Schedule.merge(Schedule.random(rnd, runs, Schedule.Profile.OFFICE, w.start, w.end),
          Schedule.of(w.ciExposureRun));
    }

    int distinctAddresses() {
      return runnerAddresses.size();
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.6);
      String ip = World.runnerAddress(rnd);
      while (!runnerAddresses.add(ip)) {
        ip = World.runnerAddress(rnd); // a runner address is never reused
      }
      if (start == w.ciExposureRun) {
        exposureAddress = ip;
      }
      boolean newImage = start > w.start + (w.end - w.start) / 2;
      Identity who = w.ci.identity();
      long t = start + gap(20_000, 90_000);
      out.accept(call(t, World.HOME, "sts.amazonaws.com", "GetCallerIdentity", who, ip,
          Agents.CONFIGURE_CREDENTIALS).readOnly(true).resp("userId", w.ci.principalId(), "account", World.ACCOUNT,
          "arn", who.arn));
      t += gap(30_000, 240_000); // build and scan steps run before the deploy
      int tenants = (int) Math.min(1 + rnd.nextInt(3), n - 2);
      World.Tenant[] deployed = new World.Tenant[tenants];
      for (int i = 0; i < tenants; i++) {
        deployed[i] = w.tenants.get(rnd.nextInt(w.tenants.size()));
      }
      long s3Events = n - 2;
      for (long i = 0; i < s3Events; i++) {
        World.Tenant tenant = deployed[(int) (i * tenants / s3Events)];
        boolean first = i == 0 || (i - 1) * tenants / s3Events != i * tenants / s3Events;
        SimEvent e;
        if (first) {
          e = list(t, tenant.region(), who, ip, Agents.runnerCli(newImage, "s3.sync"), tenant.bucket(), "site/");
        } else {
          String path = sitePath();
          e = s3(t, tenant.region(), "PutObject", who, ip, Agents.runnerCli(newImage, "s3.sync"), tenant.bucket(),
              path, 0, siteObjectSize(path));
        }
        out.accept(e);
        t += gap(60, 1500);
      }
      World.Tenant last = deployed[tenants - 1];
      out.accept(call(t + gap(500, 4000), World.GLOBAL, "cloudfront.amazonaws.com", "CreateInvalidation", who, ip,
          Agents.runnerCli(newImage, "cloudfront.create-invalidation"))
          .req("distributionId", distributionId(w, last), "invalidationBatch", new Object[] {
              "paths", new Object[] {"quantity", 1, "items", List.of("/*")}, "callerReference",
              "cli-" + start / 1000 + "-" + rnd.nextInt(1_000_000)})
          .resp("location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + distributionId(w, last)
              + "/invalidation/I" + Ids.upperAlnum(rnd, 25), "invalidation", new Object[] {
              "id", "I" + Ids.upperAlnum(rnd, 25), "status", "InProgress"}));
    }
  }

  /** One person working through IAM Identity Center: console and CLI sessions on working days. */
  static final class Operator extends Actor {
    private static final String[][] READS = {
      {"s3.amazonaws.com", "ListBuckets", "s3.ls"}, {"ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances"},
      {"monitoring.amazonaws.com", "DescribeAlarms", "cloudwatch.describe-alarms"},
      {"cloudfront.amazonaws.com", "ListDistributions", "cloudfront.list-distributions"},
      {"logs.amazonaws.com", "DescribeLogGroups", "logs.describe-log-groups"},
      {"logs.amazonaws.com", "FilterLogEvents", "logs.filter-log-events"},
      {"ssm.amazonaws.com", "DescribeInstanceInformation", "ssm.describe-instance-information"},
      {"cloudfront.amazonaws.com", "GetDistribution", "cloudfront.get-distribution"},
      {"acm.amazonaws.com", "ListCertificates", "acm.list-certificates"},
      {"ce.amazonaws.com", "GetCostAndUsage", "ce.get-cost-and-usage"},
    };
    private static final String[][] WRITES = {
      {"cloudfront.amazonaws.com", "CreateInvalidation", "cloudfront.create-invalidation", "cloudfront"},
      {"ec2.amazonaws.com", "RebootInstances", "ec2.reboot-instances", "ec2"},
      {"ssm.amazonaws.com", "SendCommand", "ssm.send-command", "ssm"},
    };
    final World.Person person;

    Operator(World w, World.Person person, int index) {
      super(w, "operator-" + index, person.admin() ? 0.008 : 0.0085, 1);
      this.person = person;
      long workdays = Math.max(1, (w.end - person.activeFrom()) / Times.DAY * 5 / 7);
      schedule = Schedule.random(rnd, Math.max(1, Math.round(workdays * (person.admin() ? 1.0 : 1.4))),
          Schedule.Profile.OFFICE, person.activeFrom(), w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.8);
      if (n == 0) {
        return;
      }
      boolean console = rnd.nextInt(10) < 6;
      String ip = person.addresses()[rnd.nextInt(person.addresses().length)];
      Identity who = person.role().session(person.email(), Ids.accessKey(rnd, "ASIA"), start, false);
      long t = start;
      long i = 0;
      if (console) {
        SimEvent login = call(t, World.GLOBAL, "signin.amazonaws.com", "ConsoleLogin", who, ip, Agents.BROWSER)
            .resp("ConsoleLogin", "Success");
        login.eventType = "AwsConsoleSignIn";
        out.accept(login);
        i++;
        t += gap(3000, 20_000);
      }
      boolean readOnly = person.role() == w.ssoReadOnly;
      for (; i < n; i++) {
        SimEvent e;
        if (rnd.nextInt(100) < 7) {
          String[] c = WRITES[rnd.nextInt(WRITES.length)];
          String region = c[0].startsWith("cloudfront") ? World.GLOBAL : World.HOME;
          e = call(t, region, c[0], c[1], who, ip, console ? Agents.CONSOLE : Agents.operatorCli(person.os(), c[2]));
          if (readOnly) {
            if (c[3].equals("ec2")) {
              e.error("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: "
                  + who.arn + " is not authorized to perform: ec2:" + c[1]);
            } else {
              e.error("AccessDenied", "User: " + who.arn + " is not authorized to perform: " + c[3] + ":" + c[1]
                  + " because no identity-based policy allows the " + c[3] + ":" + c[1] + " action");
            }
          }
        } else if (rnd.nextInt(100) < 8) {
          World.Tenant tenant = w.tenants.get(rnd.nextInt(w.tenants.size()));
          String path = sitePath();
          e = s3(t, tenant.region(), "GetObject", who, ip, console ? Agents.CONSOLE_S3
              : Agents.operatorCli(person.os(), "s3.cp"), tenant.bucket(), path, siteObjectSize(path), 0);
        } else {
          String[] c = READS[rnd.nextInt(READS.length)];
          String region = c[0].startsWith("s3") || c[0].startsWith("cloudfront") || c[0].startsWith("ce")
              ? World.GLOBAL : World.HOME;
          String ua = !console ? Agents.operatorCli(person.os(), c[2])
              : c[0].startsWith("s3") ? Agents.CONSOLE_S3 : c[0].startsWith("ec2") ? Agents.CONSOLE_EC2 : Agents.CONSOLE;
          e = call(t, region, c[0], c[1], who, ip, ua).readOnly(true);
          if (rnd.nextInt(200) == 0) {
            e.error("ThrottlingException", "Rate exceeded");
          }
        }
        e.console = console;
        out.accept(e);
        t += gap(2000, 90_000);
      }
    }
  }

  /**
   * Administrators' IAM changes through their SSO sessions (never through long-term keys): a CI policy update, a
   * service user's key rotation, a new automation user with its key, a new role, a new employee's assignment.
   */
  static final class IamChanges extends Actor {
    private final List<Long> times = new ArrayList<>();
    private final List<Integer> kinds = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();

    IamChanges(World w) {
      super(w, "iam-changes", 0, 0);
      long period = w.end - w.start;
      add(Times.startOfDay(w.start + (long) (period * 0.15)) + 10 * Times.HOUR + rnd.nextLong(Times.HOUR), 0, 2);
      add(Times.startOfDay(w.start + (long) (period * 0.25)) + 9 * Times.HOUR + rnd.nextLong(Times.HOUR), 1, 1);
      add(w.archiverRotation, 2, 2);
      add(w.archiverRotation + Times.DAY + rnd.nextLong(Times.HOUR), 3, 1);
      add(w.archiverRotation + 8 * Times.DAY + rnd.nextLong(Times.HOUR), 4, 1);
      add(w.analyticsCreated, 5, 4);
      add(Times.startOfDay(w.start + (long) (period * 0.6)) + 13 * Times.HOUR + rnd.nextLong(Times.HOUR), 6, 3);
      // keep them in time order and inside the period
      List<long[]> all = new ArrayList<>();
      for (int i = 0; i < times.size(); i++) {
        if (times.get(i) >= w.start && times.get(i) < w.end - Times.HOUR) {
          all.add(new long[] {times.get(i), kinds.get(i), sizes.get(i)});
        }
      }
      all.sort((a, b) -> Long.compare(a[0], b[0]));
      times.clear();
      kinds.clear();
      sizes.clear();
      long[] starts = new long[all.size()];
      for (int i = 0; i < all.size(); i++) {
        starts[i] = all.get(i)[0];
        kinds.add((int) all.get(i)[1]);
        sizes.add((int) all.get(i)[2]);
      }
      schedule = Schedule.of(starts);
    }

    private void add(long t, int kind, int size) {
      times.add(t);
      kinds.add(kind);
      sizes.add(size);
    }

    /** Exactly the events of the planned changes. */
    long fixedEvents() {
      long sum = 0;
      for (int s : sizes) {
        sum += s;
      }
      return sum;
    }

    @Override
    long minimum() {
      return fixedEvents();
    }

    @Override
    void plan(long events) {
      // fixed size: nothing to deal out
    }

    private int next;

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      int kind = kinds.get(next++);
      World.Person admin = w.people.get(kind % 2);
      Identity who = admin.role().session(admin.email(), Ids.accessKey(rnd, "ASIA"), start - 5 * Times.MINUTE, false);
      String ip = admin.addresses()[0];
      String ua = Agents.CONSOLE;
      long t = start;
      String iam = "iam.amazonaws.com";
      String g = World.GLOBAL;
      String acct = World.ACCOUNT;
      switch (kind) {
        case 0 -> {
          String policy = "arn:aws:iam::" + acct + ":policy/ewh-ci-deploy";
          out.accept(call(t, g, iam, "CreatePolicyVersion", who, ip, ua).req("policyArn", policy,
              "policyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                  + "[\"s3:ListBucket\",\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\",\"cloudfront:CreateInvalidation\","
                  + "\"iam:*\"],\"Resource\":\"*\"}]}", "setAsDefault", true)
              .resp("policyVersion", new Object[] {"versionId", "v4", "isDefaultVersion", true,
                  "createDate", Times.iamDate(t)}));
          out.accept(call(t + gap(20_000, 90_000), g, iam, "DeletePolicyVersion", who, ip, ua)
              .req("policyArn", policy, "versionId", "v2"));
        }
        case 1 -> {
          World.Person hire = w.people.get(5);
          out.accept(call(t, World.HOME, "sso.amazonaws.com", "CreateAccountAssignment", who, ip, ua).req(
              "instanceArn", "arn:aws:sso:::instance/ssoins-" + Ids.hex(rnd, 16), "targetId", acct, "targetType",
              "AWS_ACCOUNT", "permissionSetArn", "arn:aws:sso:::permissionSet/ssoins-" + Ids.hex(rnd, 16) + "/ps-"
                  + Ids.hex(rnd, 16), "principalType", "USER", "principalId", hire.email()));
        }
        case 2 -> {
          out.accept(call(t, g, iam, "ListAccessKeys", who, ip, ua).readOnly(true)
              .req("userName", w.archiver.name()));
          out.accept(call(t + gap(15_000, 60_000), g, iam, "CreateAccessKey", who, ip, ua)
              .req("userName", w.archiver.name())
              .resp("accessKey", new Object[] {"userName", w.archiver.name(), "accessKeyId", w.archiverNewKey,
                  "status", "Active", "createDate", Times.iamDate(t)}));
        }
        case 3 -> out.accept(call(t, g, iam, "UpdateAccessKey", who, ip, ua)
            .req("userName", w.archiver.name(), "accessKeyId", w.archiver.key(), "status", "Inactive"));
        case 4 -> out.accept(call(t, g, iam, "DeleteAccessKey", who, ip, ua)
            .req("userName", w.archiver.name(), "accessKeyId", w.archiver.key()));
        case 5 -> {
          String name = w.analytics.name();
          out.accept(call(t, g, iam, "CreateUser", who, ip, ua).req("userName", name, "tags",
              List.of(new Object[] {"key", "owner", "value", "web-analytics"}))
              .resp("user", new Object[] {"path", "/", "userName", name, "userId", w.analytics.principalId(),
                  "arn", "arn:aws:iam::" + acct + ":user/" + name, "createDate", Times.iamDate(t)}));
          t += gap(10_000, 40_000);
          out.accept(call(t, g, iam, "AttachUserPolicy", who, ip, ua).req("userName", name, "policyArn",
              "arn:aws:iam::" + acct + ":policy/ewh-analytics-read"));
          t += gap(10_000, 40_000);
          out.accept(call(t, g, iam, "ListAccessKeys", who, ip, ua).readOnly(true).req("userName", name));
          t += gap(5_000, 20_000);
          out.accept(call(t, g, iam, "CreateAccessKey", who, ip, ua).req("userName", name)
              .resp("accessKey", new Object[] {"userName", name, "accessKeyId", w.analytics.key(), "status", "Active",
                  "createDate", Times.iamDate(t)}));
        }
        case 6 -> {
          String role = "ewh-sitemap-builder-v2";
          out.accept(call(t, g, iam, "CreateRole", who, ip, ua).req("roleName", role, "assumeRolePolicyDocument",
              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                  + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")
              .resp("role", new Object[] {"path", "/", "roleName", role, "roleId", Ids.principalId(rnd, "AROA"),
                  "arn", "arn:aws:iam::" + acct + ":role/" + role, "createDate", Times.iamDate(t)}));
          t += gap(10_000, 40_000);
          out.accept(call(t, g, iam, "AttachRolePolicy", who, ip, ua).req("roleName", role, "policyArn",
              "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
          t += gap(10_000, 40_000);
          out.accept(call(t, g, iam, "PutRolePolicy", who, ip, ua).req("roleName", role, "policyName", "sites",
              "policyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                  + "[\"s3:ListBucket\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::europa-ewh-*\"}]}"));
        }
        default -> throw new IllegalStateException("kind " + kind);
      }
    }
  }

  /** The on-premises mail archiver's long-term key: every two hours it lists and copies new mail. */
  static final class MailArchiver extends Actor {
    MailArchiver(World w) {
      super(w, "archiver", 0.025, 0);
      schedule = Schedule.periodic(rnd, w.start + 17 * Times.MINUTE, 2 * Times.HOUR, 5 * Times.MINUTE, w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.5);
      // the service switches to its new key a couple of hours after the rotation
      String key = start > w.archiverRotation + 2 * Times.HOUR ? w.archiverNewKey : w.archiver.key();
      Identity who = w.archiver.identity(key);
      long t = start;
      World.Tenant tenant = w.tenants.get(rnd.nextInt(w.tenants.size()));
      for (long i = 0; i < n; i++) {
        if (i % 5 == 0) {
          tenant = w.tenants.get(rnd.nextInt(w.tenants.size()));
          out.accept(list(t, tenant.region(), who, w.archiverAddress, Agents.ARCHIVER, tenant.bucket(),
              "mail/outbound/"));
        } else {
          out.accept(s3(t, tenant.region(), "GetObject", who, w.archiverAddress, Agents.ARCHIVER, tenant.bucket(),
              mailKey(t), sizeLogNormal(45_000, 1.0, 10_000_000), 0));
        }
        t += gap(100, 1200);
      }
    }
  }

  /** The web statistics job: daily metrics and CloudFront access logs. */
  static final class WebStats extends Actor {
    WebStats(World w) {
      super(w, "webstats", 0.008, 0);
      schedule = Schedule.periodic(rnd, Times.startOfDay(w.start) + 6 * Times.HOUR, Times.DAY, 10 * Times.MINUTE,
          w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.3);
      Identity who = w.webstats.identity();
      long t = start;
      for (long i = 0; i < n; i++) {
        if (i % 3 == 0) {
          out.accept(call(t, World.HOME, "monitoring.amazonaws.com", "GetMetricStatistics", who, w.webstatsAddress,
              Agents.WEBSTATS).readOnly(true));
        } else {
          String day = java.time.LocalDate.ofEpochDay(Math.floorDiv(start, Times.DAY) - 1).toString();
          out.accept(s3(t, World.HOME, "GetObject", who, w.webstatsAddress, Agents.WEBSTATS, w.logsBucket,
              "cloudfront/" + day + "/" + Ids.hex(rnd, 8) + ".gz", sizeLogNormal(2_000_000, 0.5, 50_000_000), 0));
        }
        t += gap(200, 2000);
      }
    }
  }

  /** New automation: the analytics export user an administrator creates mid-period, then used daily. */
  static final class AnalyticsExport extends Actor {
    AnalyticsExport(World w) {
      super(w, "analytics", 0.006, 0);
      long first = Times.startOfDay(w.analyticsCreated) + Times.DAY + 7 * Times.HOUR + 30 * Times.MINUTE;
      schedule = Schedule.periodic(rnd, first, Times.DAY, 10 * Times.MINUTE, w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.3);
      Identity who = w.analytics.identity();
      long t = start;
      String query = null;
      for (long i = 0; i < n; i++) {
        SimEvent e;
        switch ((int) (i % 4)) {
          case 0 -> {
            query = Ids.uuid(rnd);
            e = call(t, World.HOME, "athena.amazonaws.com", "StartQueryExecution", who, w.analyticsAddress,
                Agents.ANALYTICS).req("queryString", "SELECT tenant, count(*) FROM web_logs GROUP BY 1",
                "workGroup", "primary").resp("queryExecutionId", query);
          }
          case 1 -> e = call(t, World.HOME, "athena.amazonaws.com", "GetQueryExecution", who, w.analyticsAddress,
              Agents.ANALYTICS).readOnly(true).req("queryExecutionId", query);
          case 2 -> e = call(t, World.HOME, "athena.amazonaws.com", "GetQueryResults", who, w.analyticsAddress,
              Agents.ANALYTICS).readOnly(true).req("queryExecutionId", query);
          default -> e = s3(t, World.HOME, "GetObject", who, w.analyticsAddress, Agents.ANALYTICS, w.analyticsBucket,
              "athena-results/" + query + ".csv", sizeLogNormal(300_000, 0.6, 20_000_000), 0);
        }
        out.accept(e);
        t += gap(500, 5000);
      }
    }
  }
}
