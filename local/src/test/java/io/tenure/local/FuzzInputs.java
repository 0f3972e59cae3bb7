package io.tenure.local;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the fuzz suite sends: hostile strings (HTML, Unicode edge cases, control characters, huge
 * text), hostile JSON values (wrong types, extreme numbers, 10,000 levels of nesting, lone
 * surrogates as JSON escapes) and mutations of valid bodies (keys dropped, renamed, duplicated or
 * added; values replaced or wrapped; the body truncated, wrapped or replaced whole).
 */
final class FuzzInputs {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper PLAIN = JsonMapper.builder().build();
    /** Writes every non-ASCII character as a \\uXXXX escape, so lone surrogates reach the server intact. */
    private static final ObjectMapper ESCAPED = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** Marks where a raw JSON fragment replaces a string value after writing (ASCII, so written verbatim). */
    private static final String RAW = "@@fuzz-raw:";

    /**
     * HTML and script an attacker may put in any text field; {@link #HTML_SIGNATURES} are the parts
     * that must never appear unescaped in an email's HTML part or an HTML page.
     */
    static final List<String> HTML = List.of(
            "<script>alert('fz-script')</script>",
            "<img src=x onerror=alert('fz-img')>",
            "\"><svg onload=alert('fz-svg')>",
            "' onmouseover='alert(1)",
            "\" onfocus=\"alert(1)\" autofocus=\"",
            "<iframe src=\"javascript:alert('fz-frame')\"></iframe>",
            "</td></tr></table><h1>fz-heading</h1>",
            "<b>fz-bold</b> & <i>co</i>",
            "javascript:alert('fz-js')",
            "{{#fz}}{{{fz}}}{{/fz}}",
            "&lt;script&gt;fz&lt;/script&gt;",
            "<SCRIPT SRC=//fz.example/x.js></SCRIPT>",
            "<a href=\"https://evil.example\">fz-link</a>");

    /** Case-insensitive; none may appear in an email's HTML part or an HTML response. */
    static final List<String> HTML_SIGNATURES = List.of("<script", "<img", "<svg", "<iframe", "<h1>fz-heading",
            "<b>fz-bold", "<i>co", "' onmouseover='", "\" onfocus=\"", "href=\"javascript:", "<a href=\"https://evil.example");

    /** Unicode edge cases: direction marks, zero width, controls, combining, emoji, case folding, lone surrogates. */
    static final List<String> UNICODE = List.of(
            "\u202Egnp.exe", "abc\u200F\u200Edef", "\u202Dlrm\u202C", "a\u200Bb\u200Cc\u200Dd\uFEFF",
            "\u0000", "nul\u0000inside", "\u0001\u0002\u001F\u007F", "\u0085next", "line\nbreak", "tab\tstop",
            "cr\r\nlf", "\u2028\u2029", "e\u0301\u0301\u0301\u0301", "Z\u0351\u0353\u0310\u0361\u0334algo",
            "\uD83D\uDE00\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66", "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",
            "\u212Aelvin", "\u0130stanbul", "stra\u00DFe", "\uFB01le", "\uFF21\uFF42\uFF43", "\u65E5\u672C\u8A9E",
            "\u0645\u0631\u062D\u0628\u0627", "\uD800", "lone\uDC00low", "\uDBFF\uDFFF", "\uFFFE\uFFFF", "\uFFFD",
            "", " ", "   \t ", "null", "undefined", "NaN", "true", "0", "-1", "1e309", "%00", "%zz", "\\u0000",
            "../../etc/passwd", "'; DROP TABLE x; --", "${jndi:ldap://fz.example/a}", "{{7*7}}", "#{7*7}",
            "ORG#org_00000000000000000000000000", "MEMBER#", "#", "\u0000#\u0000");

    private FuzzInputs() {
    }

    // ------------------------------------------------------------------ strings

    /** Any hostile text: HTML, Unicode edge cases, random characters (surrogates included), long text. */
    static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(HTML)),
                Tuple.of(4, Arbitraries.of(UNICODE)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(HTML), Arbitraries.of(UNICODE)).as((h, u) -> u + h + u)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u001F').ofMinLength(1).ofMaxLength(5)),
                Tuple.of(2, longTexts()));
    }

    /** Text around the limits fields have (64, 100, 200, 255, 512, 1,000, 1,024) and well past them. */
    static Arbitrary<String> longTexts() {
        return Combinators.combine(Arbitraries.of(65, 101, 201, 256, 513, 1001, 1025, 3000, 20_000, 70_000),
                        Arbitraries.of("x", "<b>fz-bold</b>", "\u00E9", "\uD83D\uDE00", "\u0000", "e\u0301"))
                .as(FuzzInputs::repeatTo);
    }

    /** {@code unit} repeated to exactly {@code length} chars (an emoji may be cut in half: a lone surrogate). */
    static String repeatTo(int length, String unit) {
        StringBuilder text = new StringBuilder(length + unit.length());
        while (text.length() < length) {
            text.append(unit);
        }
        return text.substring(0, length);
    }

    /**
     * Hostile text that fits in a URL: API Gateway refuses request lines over 10 KB, and the local
     * server resets the connection, so query and path values stay under 1,500 encoded bytes each.
     */
    static Arbitrary<String> urlTexts() {
        return texts().filter(t -> encode(t).length() <= 1500);
    }

    /** Mostly {@code valid}, else hostile text. */
    static Arbitrary<String> validOr(Arbitrary<String> valid) {
        return Arbitraries.frequencyOf(Tuple.of(3, valid), Tuple.of(2, texts()));
    }

    // ------------------------------------------------------------------ JSON values

    /** A JSON value of any kind and shape a field should not accept, or a raw fragment (see {@link #raw}). */
    static Arbitrary<JsonNode> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, texts().map(NODES::textNode)),
                Tuple.of(3, numbers()),
                Tuple.of(1, Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode())),
                Tuple.of(2, shapes()),
                Tuple.of(2, rawFragments()));
    }

    static Arbitrary<JsonNode> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, -1L, 1L, 7L, 30L, 31L, 366L, 3651L, Integer.MAX_VALUE + 1L, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(v -> (JsonNode) NODES.numberNode(v)),
                Arbitraries.of(0.5, -0.0, 1e-200, 1e200, 7.0000001).map(v -> (JsonNode) NODES.numberNode(v)),
                Arbitraries.of(new BigInteger("18446744073709551623"), BigInteger.TEN.pow(400))
                        .map(v -> (JsonNode) NODES.numberNode(v)),
                Arbitraries.of("1e400", "-1e400", "1e-400", "-0", "0.0000000000000000000000000000000000000000001",
                        "123456789012345678901234567890123456789012345678901234567890").map(FuzzInputs::raw));
    }

    /** Arrays and objects where scalars belong, and the reverse. */
    static Arbitrary<JsonNode> shapes() {
        return Arbitraries.of(
                () -> NODES.arrayNode(),
                () -> NODES.objectNode(),
                () -> NODES.arrayNode().add("<script>alert('fz-script')</script>").add(1).addNull(),
                () -> NODES.objectNode().put("<img src=x onerror=alert('fz-img')>", "x"),
                () -> NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode())),
                () -> NODES.objectNode().set("a", NODES.objectNode().set("b", NODES.arrayNode().add(NODES.objectNode()))),
                (Supplier<JsonNode>) () -> {
                    ArrayNode many = NODES.arrayNode();
                    for (int i = 0; i < 2000; i++) {
                        many.add(i % 2 == 0 ? "x" : "<b>fz-bold</b>");
                    }
                    return many;
                }).map(Supplier::get);
    }

    /**
     * JSON text a tree cannot hold or Jackson would write differently: 10,000 levels of nesting,
     * lone surrogates and NUL as escapes, escaped HTML.
     */
    static Arbitrary<JsonNode> rawFragments() {
        return Arbitraries.of(
                "[".repeat(10_000) + "]".repeat(10_000),
                "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "[".repeat(400) + "]".repeat(400),
                "\"\\ud800\"", "\"a\\udc00b\"", "\"\\udbff\"", "\"\\u0000\"", "\"x\\u0000y\"", "\"\\u202e\\u200b\"",
                "\"\\u003cscript\\u003ealert('fz-script')\\u003c/script\\u003e\"", "\"\\ud83d\\ude00\"",
                "\"\\uD83D\"", "\"\\\\\"", "\"\\/\\b\\f\\n\\r\\t\"").map(FuzzInputs::raw);
    }

    /** A placeholder string node that {@link #write} replaces with {@code json} as it is. */
    static JsonNode raw(String json) {
        return NODES.textNode(RAW + json);
    }

    // ------------------------------------------------------------------ mutations

    /** What one mutation does to a valid body. */
    enum Op { DROP, RENAME, ADD_UNKNOWN, REPLACE, WRAP_IN_ARRAY, NULL, EMPTY_CONTAINER }

    /** One change at the {@code at}-th value slot (depth first) of the body. */
    record Mutation(Op op, int at, JsonNode value, String name) {
        @Override
        public String toString() {
            String shown = value == null ? "" : abbreviate(value.toString(), 80);
            return op + "@" + at + (name == null ? "" : " name=" + abbreviate(name, 40)) + (shown.isEmpty() ? "" : " value=" + shown);
        }
    }

    /** What happens to the written body as text. */
    enum TextOp { NONE, DUPLICATE_KEY, TRUNCATE, TRAILING_GARBAGE, BYTE_ORDER_MARK, WRAP_IN_ARRAY, REPLACE_WHOLE }

    static Arbitrary<Mutation> mutations() {
        Arbitrary<String> names = Arbitraries.oneOf(texts(),
                Arbitraries.of("__proto__", "constructor", "id", "pk", "sk", "version", "status", "EMAIL", "e\u200Bmail",
                        "\u0435mail", "", " ", "orgRole ", "$where"));
        return Combinators.combine(
                        Arbitraries.of(Op.class), Arbitraries.integers().between(0, 1000), values(), names)
                .as(Mutation::new);
    }

    /** A body plan: the valid body, up to three mutations, a text operation, and how it is encoded. */
    record Body(ObjectNode valid, List<Mutation> mutations, TextOp textOp, String replacement, int cut, boolean escapeNonAscii) {
        /** The body as sent. */
        String text() {
            if (textOp == TextOp.REPLACE_WHOLE) {
                return replacement;
            }
            ObjectNode tree = mutated();
            String text = write(tree, escapeNonAscii);
            return switch (textOp) {
                case NONE, REPLACE_WHOLE -> text;
                case DUPLICATE_KEY -> duplicateFirstKey(tree, text);
                case TRUNCATE -> text.substring(0, Math.min(text.length(), cut % Math.max(1, text.length())));
                case TRAILING_GARBAGE -> text + (cut % 2 == 0 ? "}" : " {\"x\":1}");
                case BYTE_ORDER_MARK -> "\uFEFF" + text;
                case WRAP_IN_ARRAY -> "[" + text + "]";
            };
        }

        /**
         * Whether the body as sent is surely not one JSON object (cut short, followed by more text,
         * wrapped in an array, or with a key twice), which a route reading it must refuse.
         */
        boolean surelyNotOneObject() {
            return textOp == TextOp.TRUNCATE || textOp == TextOp.TRAILING_GARBAGE || textOp == TextOp.WRAP_IN_ARRAY
                    || (textOp == TextOp.DUPLICATE_KEY && mutated().size() > 0);
        }

        private ObjectNode mutated() {
            ObjectNode tree = valid.deepCopy();
            for (Mutation mutation : mutations) {
                apply(tree, mutation);
            }
            return tree;
        }

        @Override
        public String toString() {
            return "Body{mutations=" + mutations + ", textOp=" + textOp + (textOp == TextOp.REPLACE_WHOLE
                    ? " " + abbreviate(replacement, 60) : "") + ", escaped=" + escapeNonAscii + "}";
        }
    }

    /** Whole bodies that are not the JSON object a route takes, or hardly JSON at all. */
    static Arbitrary<String> wholeBodies() {
        return Arbitraries.of("", " ", "null", "[]", "123", "\"x\"", "true", "{", "}", "{\"a\":}", "{\"a\" 1}", "{'a':1}",
                "{\"a\":1,}", "/*c*/{}", "\u0000", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":\"\\x41\"}",
                "{\"a\":\"\\ud800\"}", "[".repeat(10_000) + "]".repeat(10_000), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "{\"\\u0000\":1}", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "<xml/>", "a=b&c=d", "{\"a\":\"" + "x".repeat(65_000) + "\"}");
    }

    /** A body for {@code valid}: half untouched (but full of hostile text), half mutated. */
    static Arbitrary<Body> bodies(Arbitrary<ObjectNode> valid) {
        Arbitrary<List<Mutation>> mutationLists = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.<Mutation>of())),
                Tuple.of(4, mutations().list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<TextOp> textOps = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(TextOp.NONE)),
                Tuple.of(1, Arbitraries.of(TextOp.DUPLICATE_KEY, TextOp.TRUNCATE, TextOp.TRAILING_GARBAGE,
                        TextOp.BYTE_ORDER_MARK, TextOp.WRAP_IN_ARRAY, TextOp.REPLACE_WHOLE)));
        return Combinators.combine(valid, mutationLists, textOps, wholeBodies(), Arbitraries.integers().between(1, 5000),
                Arbitraries.of(false, false, true)).as(Body::new);
    }

    private static void apply(ObjectNode root, Mutation mutation) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            if (mutation.op() != Op.DROP) {
                root.set(mutation.name() == null ? "x" : mutation.name(), mutation.value() == null ? NODES.nullNode() : mutation.value().deepCopy());
            }
            return;
        }
        Slot slot = slots.get(mutation.at() % slots.size());
        // A copy: a later mutation must not change the generated value, or a rerun would differ.
        JsonNode value = mutation.value() == null ? NODES.nullNode() : mutation.value().deepCopy();
        switch (mutation.op()) {
            case DROP -> slot.remove();
            case RENAME -> slot.rename(mutation.name());
            case ADD_UNKNOWN -> root.set(mutation.name(), value);
            case REPLACE -> slot.set(value);
            case WRAP_IN_ARRAY -> slot.set(NODES.arrayNode().add(slot.get()));
            case NULL -> slot.set(NODES.nullNode());
            case EMPTY_CONTAINER -> slot.set(slot.get().isArray() ? NODES.objectNode() : NODES.arrayNode());
        }
    }

    /** A place holding a value: an object's field or an array's element. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return parent.isObject() ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void rename(String name) {
            if (parent instanceof ObjectNode object && name != null) {
                JsonNode value = object.remove(field);
                object.set(name, value);
            } else {
                set(NODES.objectNode().set(name == null ? "x" : name, get()));
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(node, name, -1));
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    /** Writes the tree, then puts each raw fragment in place of its placeholder string. */
    static String write(JsonNode tree, boolean escapeNonAscii) {
        String text;
        try {
            text = (escapeNonAscii ? ESCAPED : PLAIN).writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int start;
        while ((start = text.indexOf("\"" + RAW)) >= 0) {
            // The placeholder was written as a JSON string: read it back for the fragment's own text.
            int end = endOfString(text, start);
            String placeholder;
            try {
                placeholder = PLAIN.readValue(text.substring(start, end + 1), String.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            text = text.substring(0, start) + placeholder.substring(RAW.length()) + text.substring(end + 1);
        }
        return text;
    }

    private static int endOfString(String text, int openingQuote) {
        for (int i = openingQuote + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new IllegalStateException("Unterminated string");
    }

    private static String duplicateFirstKey(ObjectNode tree, String text) {
        Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
        if (!fields.hasNext() || !text.startsWith("{")) {
            return text;
        }
        Map.Entry<String, JsonNode> first = fields.next();
        String pair = write(NODES.objectNode().set(first.getKey(), NODES.textNode("<b>fz-bold</b> duplicate")), false);
        return "{" + pair.substring(1, pair.length() - 1) + "," + text.substring(1);
    }

    // ------------------------------------------------------------------ query strings and paths

    /** One query parameter as sent: a name and a value, encoded or already raw. */
    record Param(String name, String value, boolean raw) {
        String encoded() {
            return raw ? name + "=" + value : encode(name) + "=" + encode(value);
        }

        @Override
        public String toString() {
            return abbreviate(encoded(), 120);
        }
    }

    /** Percent-encoding that API Gateway decodes back to the same text ({@code +} would be a literal plus). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Raw query text a client may send: broken and partial escapes, invalid UTF-8, separators in
     * odd places. {@link #malformedEscape} tells which the local gateway cannot decode.
     */
    static Arbitrary<String> rawQueryValues() {
        return Arbitraries.of("%zz", "%", "%4", "%%", "%C3%28", "%ED%A0%80", "%F0%9F%98", "%00", "%0d%0aX-Injected:%201",
                "a+b", "%2B", "a&b", "=", "==", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%E2%80%AE", "%EF%BB%BF");
    }

    /** Whether the raw value holds a % not followed by two hex digits. */
    static boolean malformedEscape(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%' && (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /**
     * Query parameters for a route: each known one absent, valid or hostile, sometimes repeated;
     * plus unknown ones and raw text.
     */
    static Arbitrary<List<Param>> queries(Map<String, Arbitrary<String>> known) {
        List<Arbitrary<List<Param>>> parts = new ArrayList<>();
        // Sorted, so one seed gives one query in every JVM.
        new java.util.TreeMap<>(known).forEach((name, anyValid) -> {
            // A "valid" value may be hostile text of any length; in a URL it must fit as urlTexts() do.
            Arbitrary<String> valid = anyValid.filter(v -> encode(v).length() <= 1500);
            parts.add(Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.just(List.<Param>of())),
                    Tuple.of(4, valid.map(v -> List.of(new Param(name, v, false)))),
                    Tuple.of(3, urlTexts().map(v -> List.of(new Param(name, v, false)))),
                    Tuple.of(1, rawQueryValues().map(v -> List.of(new Param(encode(name), v, true)))),
                    Tuple.of(1, Combinators.combine(valid, urlTexts()).as((a, b) -> List.of(new Param(name, a, false), new Param(name, b, false))))));
        });
        parts.add(Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.<Param>of())),
                Tuple.of(1, Combinators.combine(urlTexts(), urlTexts()).as((n, v) -> List.of(new Param(n, v, false))))));
        return Combinators.combine(parts).as(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** The query string for these parameters, without the {@code ?}. */
    static String queryString(List<Param> params) {
        return String.join("&", params.stream().map(Param::encoded).toList());
    }

    /** A path parameter: mostly the real one, sometimes unknown or hostile (never empty, so the route still matches). */
    static Arbitrary<String> pathIds(String prefix, Supplier<String> real) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("").map(x -> real.get())),
                Tuple.of(1, Arbitraries.just(prefix + "_01ZZZZZZZZZZZZZZZZZZZZZZZZ")),
                Tuple.of(2, urlTexts().filter(t -> !t.isEmpty())),
                Tuple.of(1, Arbitraries.of(prefix + "_" + "A".repeat(2100), "x".repeat(1100), prefix.toUpperCase(Locale.ROOT) + "_01",
                        prefix + "_01ZZZZZZZZZZZZZZZZZZZZZZZZ#other", "..", ".")));
    }

    static String abbreviate(String text, int max) {
        String shown = text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
        StringBuilder visible = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF)) {
                visible.append(String.format("\\u%04x", c));
            } else {
                visible.appendCodePoint(c);
            }
        });
        return visible.toString();
    }
}
