package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the local stack evaluates a function's policy, and the permissions each SDK call needs. */
class IamPolicyTest {
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/tenure-dev";
    private static final String IDENTITY = "arn:aws:ses:us-east-1:000000000000:identity/no-reply@tenure.local";

    private static IamPolicy policy(Map<String, Object>... statements) {
        return IamPolicy.of("TestFunction", List.of(statements));
    }

    @Test
    void allowsOnlyWhatAStatementNames() {
        IamPolicy policy = policy(Map.of("Effect", "Allow", "Action", List.of("dynamodb:GetItem", "dynamodb:Query"),
                "Resource", TABLE));
        assertThat(policy.decide("dynamodb:GetItem", TABLE, Map.of())).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(policy.decide("DynamoDB:getitem", TABLE, Map.of())).as("actions ignore case").isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(policy.decide("dynamodb:PutItem", TABLE, Map.of())).isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
        assertThat(policy.decide("dynamodb:Query", TABLE + "/index/GSI1", Map.of()))
                .as("an index is its own resource").isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
        assertThat(policy.decide("dynamodb:GetItem", TABLE.replace("tenure-dev", "other"), Map.of()))
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    }

    @Test
    void wildcardsAndAnExplicitDenyWin() {
        IamPolicy policy = policy(
                Map.of("Effect", "Allow", "Action", "dynamodb:*", "Resource", TABLE + "*"),
                Map.of("Sid", "NoDeletes", "Effect", "Deny", "Action", "dynamodb:Delete?tem", "Resource", "*"));
        assertThat(policy.decide("dynamodb:Query", TABLE + "/index/DueIndex", Map.of())).isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(policy.decide("dynamodb:DeleteItem", TABLE, Map.of())).isEqualTo(IamPolicy.Decision.EXPLICIT_DENY);
        assertThat(policy.decide("ses:SendEmail", IDENTITY, Map.of())).isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    }

    @Test
    void conditionsAsAwsEvaluatesThem() {
        IamPolicy policy = policy(Map.of("Effect", "Allow", "Action", "ses:SendEmail", "Resource", IDENTITY,
                "Condition", Map.of("StringEquals", Map.of("ses:FromAddress", "no-reply@tenure.local"))));
        assertThat(policy.decide("ses:SendEmail", IDENTITY, Map.of("ses:FromAddress", "no-reply@tenure.local")))
                .isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(policy.decide("ses:SendEmail", IDENTITY, Map.of("SES:FROMADDRESS", "no-reply@tenure.local")))
                .as("condition keys ignore case").isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(policy.decide("ses:SendEmail", IDENTITY, Map.of("ses:FromAddress", "ceo@tenure.local")))
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
        assertThat(policy.decide("ses:SendEmail", IDENTITY, Map.of())).as("a missing key fails StringEquals")
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);

        IamPolicy negated = policy(Map.of("Effect", "Allow", "Action", "ses:SendEmail", "Resource", "*",
                "Condition", Map.of("StringNotLike", Map.of("ses:FromAddress", "*@evil.example"))));
        assertThat(negated.decide("ses:SendEmail", IDENTITY, Map.of())).as("a missing key satisfies a negated operator")
                .isEqualTo(IamPolicy.Decision.ALLOW);
        assertThat(negated.decide("ses:SendEmail", IDENTITY, Map.of("ses:FromAddress", "x@evil.example")))
                .isEqualTo(IamPolicy.Decision.IMPLICIT_DENY);
    }

    @Test
    void refusesWhatItCannotEvaluateInsteadOfGuessing() {
        assertThatThrownBy(() -> policy(Map.of("Effect", "Allow", "NotAction", "s3:*", "Resource", "*")))
                .hasMessageContaining("NotAction");
        assertThatThrownBy(() -> policy(Map.of("Effect", "Allow", "Action", "s3:GetObject", "Resource", "*",
                "Condition", Map.of("IpAddress", Map.of("aws:SourceIp", "10.0.0.0/8")))))
                .hasMessageContaining("IpAddress");
        assertThatThrownBy(() -> policy(Map.of("Effect", "Allow", "Action", "s3:GetObject")))
                .hasMessageContaining("needs Action and Resource");
    }

    @Test
    void eachTransactionItemNeedsItsOwnAction() {
        Map<String, Object> request = Map.of("TransactItems", List.of(
                Map.of("Put", Map.of("TableName", "tenure-dev")),
                Map.of("Update", Map.of("TableName", "tenure-dev")),
                Map.of("ConditionCheck", Map.of("TableName", "tenure-dev")),
                Map.of("Delete", Map.of("TableName", "tenure-dev"))));
        assertThat(LocalIam.requirements("DynamoDb", "TransactWriteItems", request))
                .extracting(LocalIam.Requirement::action)
                .containsExactly("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem");
        assertThat(LocalIam.requirements("DynamoDb", "Query", Map.of("TableName", "tenure-dev", "IndexName", "DueIndex")))
                .extracting(LocalIam.Requirement::resource).containsExactly(TABLE + "/index/DueIndex");
        assertThat(LocalIam.requirements("DynamoDb", "BatchGetItem", Map.of("RequestItems", Map.of("tenure-dev", Map.of()))))
                .extracting(LocalIam.Requirement::action).containsExactly("dynamodb:BatchGetItem");
    }

    @Test
    void sendingEmailNeedsTheIdentityAndTheConfigurationSet() {
        List<LocalIam.Requirement> needed = LocalIam.requirements("SesV2", "SendEmail", Map.of(
                "FromEmailAddress", "Tenure <no-reply@tenure.local>", "ConfigurationSetName", "tenure-dev"));
        assertThat(needed).extracting(LocalIam.Requirement::resource).containsExactly(IDENTITY,
                "arn:aws:ses:us-east-1:000000000000:configuration-set/tenure-dev");
        assertThat(needed.get(0).context()).containsEntry("ses:FromAddress", "no-reply@tenure.local");
        List<LocalIam.Requirement> put = LocalIam.requirements("EventBridge", "PutEvents", Map.of("Entries",
                List.of(Map.of("EventBusName", "tenure-dev", "Source", "tenure", "DetailType", "member.removed"))));
        assertThat(put).extracting(LocalIam.Requirement::resource)
                .containsExactly("arn:aws:events:us-east-1:000000000000:event-bus/tenure-dev");
        assertThat(put.get(0).context()).containsEntry("events:source", "tenure").containsEntry("events:detail-type", "member.removed");
    }
}
