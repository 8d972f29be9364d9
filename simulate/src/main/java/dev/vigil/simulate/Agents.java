package dev.vigil.simulate;

/** User agents as AWS CLIs, SDKs, consoles and tools write them. */
final class Agents {
  private Agents() {}

  /** aws-cli v2 on a GitHub-hosted Ubuntu runner; the image (and so the CLI) is updated mid-period. */
  static String runnerCli(boolean newImage, String command) {
    return newImage
        ? "aws-cli/2.25.4 md/awscrt#0.23.8 ua/2.1 os/linux#6.8.0-1026-azure md/arch#x86_64 lang/python#3.12.9 "
            + "md/pyimpl#CPython m/b,Z,E cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 "
            + "md/prompt#off md/command#" + command
        : "aws-cli/2.24.10 md/awscrt#0.23.8 ua/2.1 os/linux#6.8.0-1021-azure md/arch#x86_64 lang/python#3.12.9 "
            + "md/pyimpl#CPython m/b,E cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 "
            + "md/prompt#off md/command#" + command;
  }

  /** aws-actions/configure-aws-credentials validating the key with GetCallerIdentity. */
  static final String CONFIGURE_CREDENTIALS =
      "aws-sdk-js/3.750.0 ua/2.1 os/linux#6.8.0-1021-azure lang/js md/nodejs#20.18.3 api/sts#3.750.0 m/E,N "
          + "configure-aws-credentials-for-github-actions";

  static String operatorCli(String os, String command) {
    return switch (os) {
      case "mac" -> "aws-cli/2.24.22 md/awscrt#0.23.8 ua/2.1 os/macos#24.3.0 md/arch#arm64 lang/python#3.12.9 "
          + "md/pyimpl#CPython m/E,b cfg/retry-mode#standard md/installer#source md/prompt#off md/command#" + command;
      case "windows" -> "aws-cli/2.23.6 md/awscrt#0.23.4 ua/2.1 os/windows#10 md/arch#amd64 lang/python#3.12.6 "
          + "md/pyimpl#CPython m/E cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#" + command;
      default -> "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.1 os/linux#6.11.0-19-generic md/arch#x86_64 "
          + "lang/python#3.12.6 md/pyimpl#CPython m/E cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 "
          + "md/prompt#off md/command#" + command;
    };
  }

  static final String CONSOLE_S3 = "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 "
      + "Linux/5.10.234-205.895.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.442-b06 java/1.8.0_442 "
      + "vendor/Oracle_Corporation cfg/retry-mode/standard]";
  static final String CONSOLE = "AWS Internal";
  static final String CONSOLE_EC2 = "console.ec2.amazonaws.com";
  static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0";

  static final String SSM_AGENT = "aws-sdk-go/1.55.6 (go1.23.6; linux; amd64) amazon-ssm-agent/3.3.1802.0";
  static final String APP_JAVA = "aws-sdk-java/2.30.38 ua/2.1 os/Linux#6.1.129-138.220.amzn2023.x86_64 "
      + "lang/java#21.0.6 md/OpenJDK_64-Bit_Server_VM#21.0.6+7-LTS md/vendor#Amazon.com_Inc. md/en_US m/F,G";
  static final String BACKUP = "Boto3/1.37.11 md/Botocore#1.37.11 ua/2.1 os/linux#6.1.129-138.220.amzn2023.x86_64 "
      + "md/arch#x86_64 lang/python#3.11.11 md/pyimpl#CPython m/Z,b cfg/retry-mode#legacy Botocore/1.37.11 "
      + "ewh-backup/4.2";
  static final String LAMBDA = "Boto3/1.36.2 md/Botocore#1.36.2 ua/2.1 os/linux#5.10.234-245.910.amzn2.x86_64 "
      + "md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 m/b cfg/retry-mode#legacy "
      + "Botocore/1.36.2";
  static final String ARCHIVER = "aws-sdk-java/1.12.780 Linux/5.14.0-503.26.1.el9_5.x86_64 "
      + "OpenJDK_64-Bit_Server_VM/17.0.14+7-LTS java/17.0.14 vendor/Red_Hat,_Inc. cfg/retry-mode/standard";
  static final String WEBSTATS = "Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#5.15.0-134-generic "
      + "md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162";
  static final String ANALYTICS = "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux "
      + "md/GOARCH#amd64 m/E ewh-analytics-export/1.0";

  static String monitoring(String api) {
    return "aws-sdk-go-v2/1.32.8 ua/2.1 os/linux lang/go#1.23.6 md/GOOS#linux md/GOARCH#amd64 api/" + api
        + "#1.32.8 m/E";
  }

  // ---- attacker tooling (never used by a benign actor) ----

  /** TruffleHog's AWS verifier (the marker Elastic's rule looks for). */
  static final String TRUFFLEHOG = "TruffleHog aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux "
      + "md/GOARCH#amd64 api/sts#1.30.3";

  /** aws-cli from Kali's package: {@code md/distrib#kali} and a Kali kernel. */
  static String kaliCli(String command) {
    return "aws-cli/2.23.6 md/awscrt#0.23.4 ua/2.1 os/linux#6.12.13-amd64 md/arch#x86_64 lang/python#3.13.2 "
        + "md/pyimpl#CPython m/E cfg/retry-mode#standard md/installer#source md/distrib#kali.2025 md/prompt#off "
        + "md/command#" + command;
  }

  /** rclone, the attacker's bulk downloader on the VPS hosts. */
  static final String RCLONE = "rclone/v1.69.1";

  /** Markers any attacker agent contains (the tests check no benign event carries them). */
  static final String[] ATTACKER_MARKERS = {"TruffleHog", "distrib#kali", "kali", "rclone"};
}
