package io.tenure.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * IAM for the local stack: every AWS SDK call a function makes is checked against that function's
 * {@code Policies} in template.yaml, as AWS checks it against the function's execution role, and
 * refused with the service's own {@code AccessDeniedException} when the policy does not allow it.
 *
 * <p>Each call needs the actions the AWS Service Authorization Reference names for it, on the
 * resources it touches: a DynamoDB call needs its own action on its table, or on
 * {@code table/NAME/index/INDEX} for a Query or Scan of an index; TransactWriteItems needs PutItem,
 * UpdateItem, DeleteItem or ConditionCheckItem for each item, on that item's table;
 * TransactGetItems needs GetItem; BatchGetItem and BatchWriteItem need their own action on each
 * table. SESv2 SendEmail needs {@code ses:SendEmail} on the sending identity and on the
 * configuration set, with {@code ses:FromAddress} and {@code ses:ApiVersion} as condition keys.
 * EventBridge PutEvents needs {@code events:PutEvents} on each entry's bus, with
 * {@code events:source} and {@code events:detail-type} as condition keys. Any other operation
 * needs {@code <service>:<Operation>} on {@code *}.
 */
final class LocalIam {
    /** One permission a call needs. */
    record Requirement(String action, String resource, Map<String, String> context) {
    }

    /** A refused call, kept so tests can assert that a suite made none. */
    record Denial(String functionId, String action, String resource, String message) {
    }

    /** How many HTTP requests' calls are kept for {@link #callsOf}: the newest. */
    private static final int KEPT_REQUESTS = 2_000;

    private final Map<String, IamPolicy> policies = new LinkedHashMap<>();
    private final List<Denial> denials = new ArrayList<>();
    private final Map<String, Invocation> byApiRequest = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Invocation> eldest) {
            return size() > KEPT_REQUESTS;
        }
    };

    LocalIam(List<TemplateModel.FunctionDef> functions) {
        for (TemplateModel.FunctionDef function : functions) {
            policies.put(function.logicalId(), IamPolicy.of(function.logicalId(), function.policyStatements()));
        }
    }

    /**
     * The decider installed in a function's {@code SdkCallGate}: null allows the call; otherwise the
     * verdict says how to refuse it.
     *
     * @param denyHost where {@code /_local/iam/denied} is served
     */
    Function<Map<String, Object>, Map<String, String>> decider(TemplateModel.FunctionDef function, String denyHost, int denyPort) {
        IamPolicy policy = policies.get(function.logicalId());
        return call -> {
            Invocation invocation = Invocation.current();
            if (invocation != null && invocation.abandoned()) {
                return Map.of("outcome", "stopped", "message", "Lambda stopped " + function.functionName()
                        + " at its timeout: this call never left the function");
            }
            String service = String.valueOf(call.get("service"));
            String operation = String.valueOf(call.get("operation"));
            if (invocation != null) {
                record(invocation, service, operation);
            }
            for (Requirement requirement : requirements(service, operation, TemplateModel.map(call.get("request")))) {
                IamPolicy.Decision decision = policy.decide(requirement.action(), requirement.resource(), requirement.context());
                if (decision != IamPolicy.Decision.ALLOW) {
                    String message = "User: arn:aws:sts::" + TemplateModel.ACCOUNT_ID + ":assumed-role/" + function.roleName()
                            + "/" + function.functionName() + " is not authorized to perform: " + requirement.action()
                            + " on resource: " + requirement.resource() + " because "
                            + (decision == IamPolicy.Decision.EXPLICIT_DENY
                                    ? "of an explicit deny in an identity-based policy"
                                    : "no identity-based policy allows the " + requirement.action() + " action");
                    synchronized (denials) {
                        denials.add(new Denial(function.logicalId(), requirement.action(), requirement.resource(), message));
                    }
                    System.out.println("[local][iam] " + function.logicalId() + " DENIED " + requirement.action() + " on "
                            + requirement.resource());
                    return denial(service, message, denyHost, denyPort);
                }
            }
            return null;
        };
    }

    /** Notes a call the function makes (allowed or not: either way it is a request the function sent). */
    private void record(Invocation invocation, String service, String operation) {
        invocation.recordCall(callName(service, operation));
        if (invocation.apiRequestId() != null) {
            synchronized (byApiRequest) {
                byApiRequest.putIfAbsent(invocation.apiRequestId(), invocation);
            }
        }
    }

    /** A call as IAM's service prefix and the operation: {@code dynamodb:GetItem}, {@code ses:SendEmail}. */
    static String callName(String service, String operation) {
        String prefix = switch (service) {
            case "DynamoDb" -> "dynamodb";
            case "SesV2" -> "ses";
            case "EventBridge" -> "events";
            default -> service.toLowerCase(Locale.ROOT);
        };
        return prefix + ":" + operation;
    }

    /**
     * The AWS calls the function made for the HTTP request with this {@code apigw-requestid}, oldest
     * first; empty when it made none (or the request is older than the newest {@value #KEPT_REQUESTS}).
     */
    List<String> callsOf(String apiRequestId) {
        Invocation invocation;
        synchronized (byApiRequest) {
            invocation = byApiRequest.get(apiRequestId);
        }
        return invocation == null ? List.of() : invocation.calls();
    }

    /** Every refused call so far, oldest first. */
    List<Denial> denials() {
        synchronized (denials) {
            return List.copyOf(denials);
        }
    }

    /** How the service answers a denied call: status, error code and wire protocol. */
    private static Map<String, String> denial(String service, String message, String host, int port) {
        boolean restJson = service.equals("SesV2"); // SESv2 is REST-JSON: 403; DynamoDB and EventBridge are JSON RPC: 400
        Map<String, String> verdict = new LinkedHashMap<>();
        verdict.put("outcome", "denied");
        verdict.put("status", restJson ? "403" : "400");
        verdict.put("code", "AccessDeniedException");
        verdict.put("protocol", restJson ? "rest-json" : "json");
        verdict.put("message", message);
        verdict.put("host", host);
        verdict.put("port", Integer.toString(port));
        return verdict;
    }

    /** The permissions one call needs. */
    static List<Requirement> requirements(String service, String operation, Map<String, Object> request) {
        return switch (service) {
            case "DynamoDb" -> dynamoDb(operation, request);
            case "SesV2" -> sesV2(operation, request);
            case "EventBridge" -> eventBridge(operation, request);
            default -> List.of(new Requirement(service.toLowerCase(Locale.ROOT) + ":" + operation, "*", Map.of()));
        };
    }

    private static List<Requirement> dynamoDb(String operation, Map<String, Object> request) {
        List<Requirement> needed = new ArrayList<>();
        switch (operation) {
            case "TransactWriteItems" -> {
                for (Object item : TemplateModel.list(request.get("TransactItems"))) {
                    Map<String, Object> kinds = TemplateModel.map(item);
                    kinds.forEach((kind, body) -> {
                        String action = switch (kind) {
                            case "Put" -> "PutItem";
                            case "Update" -> "UpdateItem";
                            case "Delete" -> "DeleteItem";
                            case "ConditionCheck" -> "ConditionCheckItem";
                            default -> throw new IllegalArgumentException("TransactWriteItems item kind " + kind);
                        };
                        needed.add(dynamo(action, table(TemplateModel.map(body).get("TableName")), null));
                    });
                }
            }
            case "TransactGetItems" -> {
                for (Object item : TemplateModel.list(request.get("TransactItems"))) {
                    needed.add(dynamo("GetItem", table(TemplateModel.map(TemplateModel.map(item).get("Get")).get("TableName")), null));
                }
            }
            case "BatchGetItem", "BatchWriteItem" -> {
                for (String tableName : TemplateModel.map(request.get("RequestItems")).keySet()) {
                    needed.add(dynamo(operation, table(tableName), null));
                }
            }
            default -> {
                Object tableName = request.get("TableName");
                Object index = request.get("IndexName");
                needed.add(dynamo(operation, tableName == null ? "*" : table(tableName),
                        index == null ? null : String.valueOf(index)));
            }
        }
        return needed;
    }

    private static Requirement dynamo(String action, String tableArn, String index) {
        return new Requirement("dynamodb:" + action, index == null ? tableArn : tableArn + "/index/" + index, Map.of());
    }

    /** A table name or ARN as a table ARN. */
    private static String table(Object nameOrArn) {
        String text = String.valueOf(nameOrArn);
        return text.startsWith("arn:") ? text
                : "arn:aws:dynamodb:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID + ":table/" + text;
    }

    private static List<Requirement> sesV2(String operation, Map<String, Object> request) {
        if (!operation.equals("SendEmail")) {
            return List.of(new Requirement("ses:" + operation, "*", Map.of("ses:ApiVersion", "2")));
        }
        String from = address(request.get("FromEmailAddress"));
        Map<String, String> context = new LinkedHashMap<>();
        context.put("ses:ApiVersion", "2");
        if (from != null) {
            context.put("ses:FromAddress", from);
        }
        String prefix = "arn:aws:ses:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID + ":";
        Object identityArn = request.get("FromEmailAddressIdentityArn");
        List<Requirement> needed = new ArrayList<>();
        // The sending identity: the verified address itself (locally the SenderEmail parameter is an address identity).
        needed.add(new Requirement("ses:SendEmail",
                identityArn != null ? String.valueOf(identityArn) : prefix + "identity/" + from, context));
        Object configurationSet = request.get("ConfigurationSetName");
        if (configurationSet != null) {
            needed.add(new Requirement("ses:SendEmail", prefix + "configuration-set/" + configurationSet, context));
        }
        return needed;
    }

    /** The bare address of a From value such as {@code "Tenure" <no-reply@example.com>}. */
    private static String address(Object from) {
        if (from == null) {
            return null;
        }
        String text = String.valueOf(from).trim();
        int open = text.lastIndexOf('<');
        int close = text.lastIndexOf('>');
        return open >= 0 && close > open ? text.substring(open + 1, close).trim() : text;
    }

    private static List<Requirement> eventBridge(String operation, Map<String, Object> request) {
        if (!operation.equals("PutEvents")) {
            return List.of(new Requirement("events:" + operation, "*", Map.of()));
        }
        List<Requirement> needed = new ArrayList<>();
        for (Object entry : TemplateModel.list(request.get("Entries"))) {
            Map<String, Object> fields = TemplateModel.map(entry);
            Object bus = fields.get("EventBusName");
            String name = bus == null ? "default" : String.valueOf(bus);
            Map<String, String> context = new LinkedHashMap<>();
            if (fields.get("Source") != null) {
                context.put("events:source", String.valueOf(fields.get("Source")));
            }
            if (fields.get("DetailType") != null) {
                context.put("events:detail-type", String.valueOf(fields.get("DetailType")));
            }
            needed.add(new Requirement("events:PutEvents", name.startsWith("arn:") ? name
                    : "arn:aws:events:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID + ":event-bus/" + name, context));
        }
        return needed;
    }
}
