package io.tenure.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One function's identity-based IAM policy, as AWS evaluates it for one request: an explicit Deny
 * wins, else some Allow must match the action, the resource and every condition; otherwise the
 * request is denied implicitly. Actions match case-insensitively, resources case-sensitively, both
 * with the {@code *} and {@code ?} wildcards. What this class does not understand (NotAction,
 * NotResource, an unknown condition operator) is refused when the policy is read, never allowed.
 */
final class IamPolicy {
    /** The outcome of evaluating a request. */
    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    private static final Set<String> OPERATORS = Set.of("stringequals", "stringnotequals",
            "stringequalsignorecase", "stringnotequalsignorecase", "stringlike", "stringnotlike");

    /** One statement with its wildcards compiled. */
    record Statement(String sid, boolean allow, List<Pattern> actions, List<Pattern> resources,
                     List<Condition> conditions) {
    }

    /** One condition: operator (without IfExists), key (lower case), values. */
    record Condition(String operator, boolean ifExists, String key, List<String> values) {
    }

    private final String owner;
    private final List<Statement> statements;

    private IamPolicy(String owner, List<Statement> statements) {
        this.owner = owner;
        this.statements = List.copyOf(statements);
    }

    /** An empty policy: allows nothing. */
    static IamPolicy none(String owner) {
        return new IamPolicy(owner, List.of());
    }

    /**
     * Reads resolved policy statements (the {@code Statement} lists of the function's inline policy
     * documents).
     *
     * @throws IllegalArgumentException for anything this evaluator would have to guess about
     */
    static IamPolicy of(String owner, List<Map<String, Object>> rawStatements) {
        List<Statement> statements = new ArrayList<>();
        for (Map<String, Object> raw : rawStatements) {
            String sid = raw.get("Sid") == null ? "(no Sid)" : String.valueOf(raw.get("Sid"));
            for (String unsupported : List.of("NotAction", "NotResource", "Principal", "NotPrincipal")) {
                if (raw.containsKey(unsupported)) {
                    throw new IllegalArgumentException(owner + " statement " + sid + ": the local stack does not evaluate "
                            + unsupported + "; use Action and Resource");
                }
            }
            Object effect = raw.get("Effect");
            if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
                throw new IllegalArgumentException(owner + " statement " + sid + ": Effect must be Allow or Deny, not " + effect);
            }
            List<String> actions = strings(raw.get("Action"));
            List<String> resources = strings(raw.get("Resource"));
            if (actions.isEmpty() || resources.isEmpty()) {
                throw new IllegalArgumentException(owner + " statement " + sid + ": needs Action and Resource");
            }
            statements.add(new Statement(sid, "Allow".equals(effect),
                    actions.stream().map(a -> glob(a, true)).toList(),
                    resources.stream().map(r -> glob(r, false)).toList(),
                    conditions(owner, sid, raw.get("Condition"))));
        }
        return new IamPolicy(owner, statements);
    }

    private static List<Condition> conditions(String owner, String sid, Object raw) {
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, Object> operatorEntry : TemplateModel.map(raw).entrySet()) {
            String operator = operatorEntry.getKey().toLowerCase(Locale.ROOT);
            boolean ifExists = operator.endsWith("ifexists");
            if (ifExists) {
                operator = operator.substring(0, operator.length() - "ifexists".length());
            }
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException(owner + " statement " + sid + ": the local stack does not evaluate the condition operator "
                        + operatorEntry.getKey() + " (it knows " + OPERATORS + ", with IfExists)");
            }
            for (Map.Entry<String, Object> keyEntry : TemplateModel.map(operatorEntry.getValue()).entrySet()) {
                conditions.add(new Condition(operator, ifExists, keyEntry.getKey().toLowerCase(Locale.ROOT),
                        strings(keyEntry.getValue())));
            }
        }
        return conditions;
    }

    /**
     * Evaluates one request.
     *
     * @param context condition keys of the request (any case); keys a request does not carry are absent
     */
    Decision decide(String action, String resource, Map<String, String> context) {
        Map<String, String> keys = new LinkedHashMap<>();
        context.forEach((k, v) -> keys.put(k.toLowerCase(Locale.ROOT), v));
        boolean allowed = false;
        for (Statement statement : statements) {
            if (!matchesAny(statement.actions(), action) || !matchesAny(statement.resources(), resource)
                    || !statement.conditions().stream().allMatch(c -> holds(c, keys))) {
                continue;
            }
            if (!statement.allow()) {
                return Decision.EXPLICIT_DENY;
            }
            allowed = true;
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    String owner() {
        return owner;
    }

    private static boolean holds(Condition condition, Map<String, String> keys) {
        String value = keys.get(condition.key());
        boolean negated = condition.operator().contains("not");
        if (value == null) {
            // AWS: a missing key satisfies IfExists and the negated operators, and nothing else.
            return condition.ifExists() || negated;
        }
        boolean any = condition.values().stream().anyMatch(expected -> switch (condition.operator()) {
            case "stringequals", "stringnotequals" -> expected.equals(value);
            case "stringequalsignorecase", "stringnotequalsignorecase" -> expected.equalsIgnoreCase(value);
            default -> glob(expected, false).matcher(value).matches(); // StringLike, StringNotLike
        });
        return negated != any;
    }

    private static boolean matchesAny(List<Pattern> patterns, String value) {
        return patterns.stream().anyMatch(p -> p.matcher(value).matches());
    }

    /** An IAM wildcard pattern: {@code *} any run of characters, {@code ?} one character. */
    static Pattern glob(String text, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
