package dev.vigil.simulate;

/**
 * Who made a call, in CloudTrail's {@code userIdentity} shape. Immutable; a role session (with its own temporary
 * {@code ASIA} key) is one instance.
 */
final class Identity {
  enum Type { IAM_USER, ASSUMED_ROLE, AWS_SERVICE }

  final Type type;
  final String principalId;
  final String arn;
  final String accountId;
  final String accessKeyId;
  final String userName;
  // role sessions
  final String issuerPrincipalId;
  final String issuerArn;
  final String issuerName;
  final String sessionCreated;
  final boolean mfa;
  final boolean ec2Role;
  // AWS services
  final String invokedBy;

  private Identity(Type type, String principalId, String arn, String accountId, String accessKeyId, String userName,
      String issuerPrincipalId, String issuerArn, String issuerName, String sessionCreated, boolean mfa,
      boolean ec2Role, String invokedBy) {
    this.type = type;
    this.principalId = principalId;
    this.arn = arn;
    this.accountId = accountId;
    this.accessKeyId = accessKeyId;
    this.userName = userName;
    this.issuerPrincipalId = issuerPrincipalId;
    this.issuerArn = issuerArn;
    this.issuerName = issuerName;
    this.sessionCreated = sessionCreated;
    this.mfa = mfa;
    this.ec2Role = ec2Role;
    this.invokedBy = invokedBy;
  }

  static Identity iamUser(String account, String principalId, String userName, String accessKeyId) {
    return new Identity(Type.IAM_USER, principalId, "arn:aws:iam::" + account + ":user/" + userName, account,
        accessKeyId, userName, null, null, null, null, false, false, null);
  }

  /**
   * A role session. {@code roleArn} is the role's IAM ARN (with its path, e.g. {@code aws-reserved/sso...}), the
   * session ARN uses the bare role name as STS writes it.
   */
  static Identity roleSession(String account, String rolePrincipalId, String roleArn, String roleName,
      String sessionName, String accessKeyId, String created, boolean mfa, boolean ec2Role) {
    return new Identity(Type.ASSUMED_ROLE, rolePrincipalId + ":" + sessionName,
        "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName, account, accessKeyId, null,
        rolePrincipalId, roleArn, roleName, created, mfa, ec2Role, null);
  }

  static Identity service(String service) {
    return new Identity(Type.AWS_SERVICE, null, null, null, null, null, null, null, null, null, false, false,
        service);
  }

  /** The same role with another session key (instance credentials rotate every few hours). */
  Identity withKey(String key, String created) {
    return new Identity(type, principalId, arn, accountId, key, userName, issuerPrincipalId, issuerArn, issuerName,
        created, mfa, ec2Role, invokedBy);
  }

  /** A service-linked role session: the service calls on the account's behalf ({@code invokedBy}). */
  Identity invokedBy(String service) {
    return new Identity(type, principalId, arn, accountId, accessKeyId, userName, issuerPrincipalId, issuerArn,
        issuerName, sessionCreated, mfa, ec2Role, service);
  }

  /** A short label for truth.json and messages: the user or role name. */
  String name() {
    return switch (type) {
      case IAM_USER -> userName;
      case ASSUMED_ROLE -> issuerName;
      case AWS_SERVICE -> invokedBy;
    };
  }
}
