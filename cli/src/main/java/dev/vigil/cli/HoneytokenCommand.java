package dev.vigil.cli;

import dev.vigil.detect.behaviour.Honeytokens;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "honeytoken", mixinStandardHelpOptions = true, description = "Honey credentials: decoy AWS keys whose every use is a critical alert.",
    subcommands = HoneytokenCommand.Create.class)
final class HoneytokenCommand implements Runnable {

  @Override
  public void run() {
    throw new UserException("say what to do: 'vigil honeytoken create --name NAME' (see --help)");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Print a ready IAM user with a deny-all policy (IAM policy JSON, CloudFormation, Terraform) and",
          "register its access key id in the watch list that 'vigil detect' reads. Any event made with that key",
          "is a critical alert (vigil.honeytoken.used).", "",
          "Until you pass --key-id, a placeholder id is registered: create the key (the templates output it),",
          "then run the command again with --key-id AKIA... to replace the placeholder.", "",
          "Examples:",
          "  vigil honeytoken create --name backup-admin-old > honey.tf.txt",
          "  vigil honeytoken create --name backup-admin-old --key-id AKIA2EXAMPLEKEY7777",
          "  vigil detect AWSLogs/ --watchlist ~/.vigil/honeytokens.tsv"},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:registered", "2:bad name, key id or watch list"})
  static final class Create implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "IAM user name of the decoy (pick one an attacker wants: backup-admin-old, ci-deploy-legacy).")
    String name;

    @Option(names = "--key-id", paramLabel = "AKIA...",
        description = "The real access key id once created (replaces the placeholder registered for NAME).")
    String keyId;

    @Option(names = "--watchlist", paramLabel = "FILE",
        description = "Watch list to register in (default: $VIGIL_HOME/honeytokens.tsv, else ~/.vigil/honeytokens.tsv).")
    Path watchlist;

    @Override
    public Integer call() throws IOException {
      if (!NAME.matcher(name).matches()) {
        throw new UserException("--name '" + name + "' is not a valid IAM user name (1-64 of A-Z a-z 0-9 +=,.@_-)");
      }
      if (keyId != null && !Honeytokens.validKeyId(keyId)) {
        throw new UserException("--key-id '" + keyId + "' is not an access key id (AKIA followed by 16 characters)");
      }
      String id = keyId != null ? keyId : Honeytokens.placeholder(name);
      Path file = watchlist != null ? watchlist : Honeytokens.defaultPath();
      try {
        Honeytokens.register(file, id, name, Instant.now());
      } catch (IOException e) {
        throw new UserException(file + ": " + e.getMessage());
      }
      PrintStream out = System.out;
      out.print(templates(name));
      System.err.println("vigil: registered " + (keyId != null ? "key id " + shown(id) : "placeholder " + id
          + " (re-run with --key-id once the key exists)") + " for '" + name + "' in " + file);
      return 0;
    }

    /** Key ids are not secret, but show only enough to recognise one. */
    private static String shown(String id) {
      return id.substring(0, 8) + "…" + id.substring(id.length() - 4);
    }

    static String templates(String name) {
      String policy = """
          {
            "Version": "2012-10-17",
            "Statement": [
              { "Sid": "VigilHoneytokenDenyAll", "Effect": "Deny", "Action": "*", "Resource": "*" }
            ]
          }""";
      String resource = name.replaceAll("[^A-Za-z0-9]", "");
      String tfName = name.replaceAll("[^A-Za-z0-9_]", "_");
      return "# Vigil honeytoken '" + name + "': an IAM user that can do nothing. Leave its key where an attacker\n"
          + "# would look (a CI variable, an old .env); never use it. Every call with it is a critical alert.\n\n"
          + "## IAM policy (inline, attached to the user)\n" + policy + "\n\n"
          + "## CloudFormation\n"
          + "Resources:\n"
          + "  " + resource + "User:\n"
          + "    Type: AWS::IAM::User\n"
          + "    Properties:\n"
          + "      UserName: " + name + "\n"
          + "      Policies:\n"
          + "        - PolicyName: vigil-honeytoken-deny-all\n"
          + "          PolicyDocument:\n"
          + "            Version: '2012-10-17'\n"
          + "            Statement:\n"
          + "              - Effect: Deny\n"
          + "                Action: '*'\n"
          + "                Resource: '*'\n"
          + "      Tags:\n"
          + "        - {Key: vigil-honeytoken, Value: 'true'}\n"
          + "  " + resource + "Key:\n"
          + "    Type: AWS::IAM::AccessKey\n"
          + "    Properties:\n"
          + "      UserName: !Ref " + resource + "User\n"
          + "Outputs:\n"
          + "  AccessKeyId:\n"
          + "    Value: !Ref " + resource + "Key\n"
          + "    Description: register it with 'vigil honeytoken create --name " + name + " --key-id <this>'\n\n"
          + "## Terraform\n"
          + "resource \"aws_iam_user\" \"" + tfName + "\" {\n"
          + "  name = \"" + name + "\"\n"
          + "  tags = { vigil-honeytoken = \"true\" }\n"
          + "}\n\n"
          + "resource \"aws_iam_user_policy\" \"" + tfName + "_deny_all\" {\n"
          + "  name   = \"vigil-honeytoken-deny-all\"\n"
          + "  user   = aws_iam_user." + tfName + ".name\n"
          + "  policy = jsonencode({\n"
          + "    Version   = \"2012-10-17\"\n"
          + "    Statement = [{ Effect = \"Deny\", Action = \"*\", Resource = \"*\" }]\n"
          + "  })\n"
          + "}\n\n"
          + "resource \"aws_iam_access_key\" \"" + tfName + "\" {\n"
          + "  user = aws_iam_user." + tfName + ".name\n"
          + "}\n\n"
          + "output \"" + tfName + "_access_key_id\" {\n"
          + "  value = aws_iam_access_key." + tfName + ".id  # then: vigil honeytoken create --name " + name
          + " --key-id <id>\n"
          + "}\n";
    }
  }
}
