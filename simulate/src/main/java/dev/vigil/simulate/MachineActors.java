package dev.vigil.simulate;

import java.util.List;
import java.util.function.Consumer;

/** The account's machines and AWS services: steady, scheduled, mostly read-only traffic. */
final class MachineActors {
  private MachineActors() {}

  /** CloudFront fetching site pages from the tenants' buckets through origin access control. */
  static final class CloudFrontOrigin extends Actor {
    private final Identity cf = Identity.service("cloudfront.amazonaws.com");

    CloudFrontOrigin(World w) {
      super(w, "cloudfront", 0, 1);
    }

    @Override
    Schedule.Profile profile() {
      return Schedule.Profile.WEB;
    }

    @Override
    void episode(long t, Consumer<SimEvent> out) {
      World.Tenant tenant = w.pickTenant(rnd);
      String path = sitePath();
      SimEvent e = s3(t, tenant.region(), "GetObject", cf, "cloudfront.amazonaws.com", "cloudfront.amazonaws.com",
          tenant.bucket(), path, siteObjectSize(path), 0);
      if (rnd.nextInt(50) == 0) {
        e.error("NoSuchKey", "The specified key does not exist.");
        e.bytesOut = 339;
      }
      out.accept(e);
    }
  }

  /** SSM agents, KMS, Secrets Manager and content reads by the EC2 instances' roles. */
  static final class Instances extends Actor {
    Instances(World w) {
      super(w, "instances", 0.15, 1);
    }

    @Override
    void episode(long t, Consumer<SimEvent> out) {
      int pick = rnd.nextInt(10);
      World.Instance inst = pick < 6 ? w.webServers.get(rnd.nextInt(w.webServers.size()))
          : pick < 9 ? w.mailRelays.get(rnd.nextInt(w.mailRelays.size())) : w.backupHost;
      long slot = Math.floorDiv(t, 6 * Times.HOUR);
      Identity who = inst.role().session(inst.id(), sessionKey(inst.id(), slot), slot * 6 * Times.HOUR, true);
      int action = rnd.nextInt(100);
      SimEvent e;
      if (action < 55) {
        e = call(t, World.HOME, "ssm.amazonaws.com", "UpdateInstanceInformation", who, inst.address(),
            Agents.SSM_AGENT).req("instanceId", inst.id(), "agentVersion", "3.3.1802.0", "agentStatus", "Active",
            "platformType", "Linux", "platformName", "Amazon Linux", "platformVersion", "2023",
            "availabilityZone", "eu-west-1a", "availabilityZoneId", "euw1-az1");
      } else if (action < 65) {
        e = call(t, World.HOME, "ssm.amazonaws.com", "ListInstanceAssociations", who, inst.address(),
            Agents.SSM_AGENT).req("instanceId", inst.id(), "maxResults", 20).readOnly(true);
      } else if (action < 75) {
        e = call(t, World.HOME, "kms.amazonaws.com", "Decrypt", who, inst.address(), Agents.APP_JAVA)
            .req("encryptionAlgorithm", "SYMMETRIC_DEFAULT").readOnly(true);
      } else if (action < 82) {
        e = call(t, World.HOME, "secretsmanager.amazonaws.com", "GetSecretValue", who, inst.address(),
            Agents.APP_JAVA).req("secretId", "ewh/" + inst.role().name() + "/app").readOnly(true);
      } else if (inst.role() == w.webRole) {
        World.Tenant tenant = w.pickTenant(rnd);
        String path = sitePath();
        e = s3(t, tenant.region(), "GetObject", who, inst.address(), Agents.APP_JAVA, tenant.bucket(), path,
            siteObjectSize(path), 0);
      } else {
        e = call(t, World.HOME, "ec2.amazonaws.com", "DescribeTags", who, inst.address(), Agents.APP_JAVA)
            .req("filterSet", new Object[] {"items", List.of(new Object[] {"name", "resource-id",
                "valueSet", new Object[] {"items", List.of(new Object[] {"value", inst.id()})}})})
            .readOnly(true);
      }
      out.accept(e);
    }
  }

  /** The mail relays writing each tenant's outbound e-mail into its mailbox prefix. */
  static final class MailRelay extends Actor {
    MailRelay(World w) {
      super(w, "mail-relay", 0.10, 1);
    }

    @Override
    Schedule.Profile profile() {
      return Schedule.Profile.OFFICE;
    }

    @Override
    void episode(long t, Consumer<SimEvent> out) {
      World.Instance inst = w.mailRelays.get(rnd.nextInt(w.mailRelays.size()));
      long slot = Math.floorDiv(t, 6 * Times.HOUR);
      Identity who = inst.role().session(inst.id(), sessionKey(inst.id(), slot), slot * 6 * Times.HOUR, true);
      World.Tenant tenant = w.pickTenant(rnd);
      out.accept(s3(t, tenant.region(), "PutObject", who, inst.address(), Agents.APP_JAVA, tenant.bucket(),
          mailKey(t), 0, sizeLogNormal(45_000, 1.1, 25_000_000)));
    }
  }

  /** The nightly backup: reads every tenant's bucket (many GB) and writes one archive per tenant. */
  static final class NightlyBackup extends Actor {
    NightlyBackup(World w) {
      super(w, "backup", 0.12, 2L * w.tenants.size());
      schedule = Schedule.periodic(rnd, w.start + 80 * Times.MINUTE, Times.DAY, 12 * Times.MINUTE, w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      List<World.Tenant> tenants = w.tenants;
      long size = budget.take(rnd, 0.1);
      long reads = size - tenants.size();
      double totalWeight = 0;
      for (World.Tenant t : tenants) {
        totalWeight += t.weight();
      }
      // every tenant gets one read; the rest is dealt by weight (largest remainder, deterministic)
      long[] perTenant = new long[tenants.size()];
      long dealt = 0;
      for (int i = 0; i < perTenant.length; i++) {
        perTenant[i] = 1 + (long) Math.floor((reads - tenants.size()) * tenants.get(i).weight() / totalWeight);
        dealt += perTenant[i];
      }
      for (int i = 0; dealt < reads; i = (i + 1) % perTenant.length) {
        perTenant[i]++;
        dealt++;
      }
      double nightBytes = 35e9 * tenants.size() / 71.0 * (0.85 + 0.3 * rnd.nextDouble());
      Identity who = w.backupHost.role().session(w.backupHost.id(), sessionKey("backup", start), start - 4 * Times.MINUTE,
          true);
      String ip = w.backupHost.address();
      String date = java.time.LocalDate.ofEpochDay(Math.floorDiv(start, Times.DAY)).toString();
      long t = start;
      for (int i = 0; i < perTenant.length; i++) {
        World.Tenant tenant = tenants.get(i);
        double tenantBytes = nightBytes * tenant.weight() / totalWeight;
        long written = 0;
        for (long k = 0; k < perTenant[i]; k++) {
          long bytes = Math.max(1000, Math.round(tenantBytes / perTenant[i] * (0.7 + 0.6 * rnd.nextDouble())));
          String key = rnd.nextInt(3) == 0 ? sitePath() : mailKey(t - rnd.nextLong(60) * Times.DAY);
          out.accept(s3(t, tenant.region(), "GetObject", who, ip, Agents.BACKUP, tenant.bucket(), key, bytes, 0));
          written += bytes;
          t += 40 + bytes / 25_000; // about 25 MB/s
        }
        out.accept(s3(t, World.HOME, "PutObject", who, ip, Agents.BACKUP, w.backupBucket,
            "nightly/" + date + "/" + tenant.name() + ".tar.zst", 0, written / 3));
        t += 200 + written / 3 / 60_000;
      }
    }
  }

  /** The monitoring vendor's cross-account role polling inventory and metrics every ten minutes. */
  static final class Monitoring extends Actor {
    private static final String[][] CALLS = {
      {"ec2.amazonaws.com", "DescribeInstances", "ec2"},
      {"ec2.amazonaws.com", "DescribeVolumes", "ec2"},
      {"ec2.amazonaws.com", "DescribeSecurityGroups", "ec2"},
      {"monitoring.amazonaws.com", "GetMetricData", "cloudwatch"},
      {"monitoring.amazonaws.com", "GetMetricData", "cloudwatch"},
      {"monitoring.amazonaws.com", "ListMetrics", "cloudwatch"},
      {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", "elasticloadbalancingv2"},
      {"tagging.amazonaws.com", "GetResources", "resourcegroupstaggingapi"},
      {"s3.amazonaws.com", "ListBuckets", "s3"},
      {"lambda.amazonaws.com", "ListFunctions20150331", "lambda"},
      {"cloudfront.amazonaws.com", "ListDistributions", "cloudfront"},
    };

    Monitoring(World w) {
      super(w, "monitoring", 0.08, 0);
      schedule = Schedule.periodic(rnd, w.start + 3 * Times.MINUTE, 10 * Times.MINUTE, 40 * Times.SECOND, w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.5);
      long hour = Math.floorDiv(start, Times.HOUR);
      Identity who = w.monitoringRole.session("vendor-integration-" + Long.toHexString(hour % 4096),
          sessionKey("vendor", hour), hour * Times.HOUR, false);
      String ip = w.vendorAddresses[(int) Math.floorMod(hour, (long) w.vendorAddresses.length)];
      long t = start;
      for (long i = 0; i < n; i++) {
        String[] c = CALLS[rnd.nextInt(CALLS.length)];
        String region = c[0].startsWith("s3") || c[0].startsWith("cloudfront") ? World.GLOBAL : World.HOME;
        SimEvent e = call(t, region, c[0], c[1], who, ip, Agents.monitoring(c[2])).readOnly(true);
        if (c[1].equals("ListBuckets")) {
          e.req("Host", "s3.amazonaws.com");
        }
        int noise = rnd.nextInt(100);
        if (noise < 2) {
          if (c[0].startsWith("ec2")) {
            e.error("Client.RequestLimitExceeded", "Request limit exceeded.");
          } else {
            e.error("ThrottlingException", "Rate exceeded");
          }
        }
        out.accept(e);
        t += gap(80, 1500);
      }
    }
  }

  /** AWS Config's service-linked role sweeping the account's configuration every few hours. */
  static final class ConfigRecorder extends Actor {
    private static final String[][] CALLS = {
      {"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "DescribeSecurityGroups"},
      {"ec2.amazonaws.com", "DescribeVpcs"}, {"ec2.amazonaws.com", "DescribeSubnets"},
      {"ec2.amazonaws.com", "DescribeNetworkInterfaces"}, {"ec2.amazonaws.com", "DescribeVolumes"},
      {"ec2.amazonaws.com", "DescribeRouteTables"}, {"iam.amazonaws.com", "GetRole"},
      {"iam.amazonaws.com", "ListAttachedRolePolicies"}, {"iam.amazonaws.com", "GetUser"},
      {"iam.amazonaws.com", "ListUserPolicies"}, {"iam.amazonaws.com", "GetPolicy"},
      {"s3.amazonaws.com", "GetBucketAcl"}, {"s3.amazonaws.com", "GetBucketPolicy"},
      {"s3.amazonaws.com", "GetBucketVersioning"}, {"s3.amazonaws.com", "GetBucketEncryption"},
      {"s3.amazonaws.com", "GetBucketLogging"}, {"s3.amazonaws.com", "GetBucketPublicAccessBlock"},
      {"cloudfront.amazonaws.com", "GetDistributionConfig"},
    };

    ConfigRecorder(World w) {
      super(w, "config", 0.05, 0);
      schedule = Schedule.periodic(rnd, w.start + 40 * Times.MINUTE, 3 * Times.HOUR, 10 * Times.MINUTE, w.end);
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.4);
      Identity who = w.configRole.session("AWSConfig-Describe", sessionKey("config", start), start, false)
          .invokedBy("config.amazonaws.com");
      long t = start;
      for (long i = 0; i < n; i++) {
        String[] c = CALLS[rnd.nextInt(CALLS.length)];
        SimEvent e;
        if (c[0].startsWith("s3")) {
          World.Tenant tenant = w.tenants.get(rnd.nextInt(w.tenants.size()));
          String sub = c[1].substring(9).toLowerCase(java.util.Locale.ROOT);
          e = bucketCall(t, tenant.region(), c[1], who, "config.amazonaws.com", "config.amazonaws.com",
              tenant.bucket(), sub);
          if (c[1].equals("GetBucketPolicy") && rnd.nextInt(3) > 0) {
            e.error("NoSuchBucketPolicy", "The bucket policy does not exist");
          }
        } else {
          String region = c[0].startsWith("iam") || c[0].startsWith("cloudfront") ? World.GLOBAL : World.HOME;
          e = call(t, region, c[0], c[1], who, "config.amazonaws.com", "config.amazonaws.com").readOnly(true);
        }
        out.accept(e);
        t += gap(30, 700);
      }
    }
  }

  /** CloudTrail checking its log bucket's ACL before delivering. */
  static final class TrailService extends Actor {
    private final Identity ct = Identity.service("cloudtrail.amazonaws.com");

    TrailService(World w) {
      super(w, "cloudtrail", 0.004, 1);
    }

    @Override
    void episode(long t, Consumer<SimEvent> out) {
      out.accept(bucketCall(t, World.HOME, "GetBucketAcl", ct, "cloudtrail.amazonaws.com",
          "cloudtrail.amazonaws.com", w.trailBucket, "acl"));
    }
  }

  /** Scheduled Lambda functions: an hourly sitemap builder, a nightly certificate check, a nightly mail purge. */
  static final class ScheduledJobs extends Actor {
    ScheduledJobs(World w) {
      super(w, "lambda", 0.04, 0);
      long firstHour = w.start + 5 * Times.MINUTE;
      schedule = Schedule.merge(Schedule.periodic(rnd, firstHour, Times.HOUR, 0, w.end),
          Schedule.periodic(rnd, w.start + 3 * Times.HOUR + 30 * Times.MINUTE, Times.DAY, 0, w.end));
    }

    @Override
    void episode(long start, Consumer<SimEvent> out) {
      long n = budget.take(rnd, 0.3);
      boolean nightly = Times.hourOfDay(start) == 3 && Math.floorMod(start, Times.HOUR) == 30 * Times.MINUTE;
      String function = nightly ? "ewh-mail-purge" : "ewh-sitemap-builder";
      long slot = Math.floorDiv(start, 6 * Times.HOUR);
      Identity who = w.lambdaRole.session(function, sessionKey(function, slot), slot * 6 * Times.HOUR, false);
      String ip = World.awsAddress(new java.util.SplittableRandom(Ids.mix(w.seed, "lambda-ip", function,
          Long.toString(slot))));
      long t = start + gap(200, 3000);
      for (long i = 0; i < n; i++) {
        World.Tenant tenant = w.tenants.get(rnd.nextInt(w.tenants.size()));
        SimEvent e;
        if (nightly) {
          e = i % 3 == 0 ? list(t, tenant.region(), who, ip, Agents.LAMBDA, tenant.bucket(), "mail/outbound/")
              : s3(t, tenant.region(), "DeleteObject", who, ip, Agents.LAMBDA, tenant.bucket(),
                  mailKey(t - 400 * Times.DAY), 0, 0);
        } else {
          e = i % 2 == 0 ? list(t, tenant.region(), who, ip, Agents.LAMBDA, tenant.bucket(), "site/")
              : s3(t, tenant.region(), "PutObject", who, ip, Agents.LAMBDA, tenant.bucket(), "site/sitemap.xml", 0,
                  sizeLogNormal(60_000, 0.5, 2_000_000));
        }
        out.accept(e);
        t += gap(50, 900);
      }
    }
  }
}
