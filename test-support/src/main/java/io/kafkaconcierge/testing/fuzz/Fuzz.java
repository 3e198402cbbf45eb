package io.kafkaconcierge.testing.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Hostile inputs from one seeded {@link Random}, so that a run is reproduced by its seed: path segments, query
 * strings, header values and bodies. Every body made from a template is <em>poisoned</em> last (a field the
 * endpoint must refuse), so that no fuzz body is a valid request whatever the noise did to it; the other kinds
 * (malformed, truncated, too large, too deep, too long) cannot be valid either.
 */
public final class Fuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Characters that make parsers, loggers and validators work: unicode, controls, NUL, quotes, separators. */
    private static final String[] NASTY = {
        "\u0000",
        "\u0001",
        "\u001f",
        "\u007f",
        "\t",
        "\n",
        "\r",
        "\"",
        "\\",
        "/",
        "'",
        "<",
        ">",
        "&",
        "%",
        "%00",
        "${x}",
        "#{x}",
        "{{x}}",
        "..",
        "../",
        ";",
        ",",
        "=",
        "?",
        "#",
        " ",
        "\u00e9",
        "\u00df",
        "\u4e2d\u6587",
        "\u0645\u0631\u062d\u0628\u0627",
        "\ud83d\ude00",
        "\u200b",
        "\u202e",
        "\ufeff",
        "\uffff",
        "\ud800",
        "\udfff",
        "\u2028",
        "\u0300",
        "NaN",
        "-0",
        "1e999"
    };

    private final long seed;
    private final Random random;

    public Fuzz(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** The seed from {@code -Dfuzz.seed}, or a new one; print it, so a failure can be run again. */
    /**
     * {@code -Dfuzz.seed=N} repeats a run; {@code -Dfuzz.seed=random} explores a new one. Without it the seed is
     * fixed, so that the build's verdict does not depend on chance (explore with random seeds by hand, and keep a
     * seed that found something as a regression test).
     */
    public static long seedFromProperty() {
        String given = System.getProperty("fuzz.seed");
        if (given == null || given.isBlank()) {
            return 2L;
        }
        return given.trim().equals("random") ? System.nanoTime() : Long.parseLong(given.trim());
    }

    public long seed() {
        return seed;
    }

    public Random random() {
        return random;
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    @SafeVarargs
    public final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    public <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    // ---- strings -------------------------------------------------------------------------------------------

    /** A short printable name that no resource of the test has: [a-z0-9.-]. */
    public String name() {
        StringBuilder s = new StringBuilder("fz");
        int n = between(1, 12);
        for (int i = 0; i < n; i++) {
            s.append("abcdefghijklmnopqrstuvwxyz0123456789.-".charAt(random.nextInt(38)));
        }
        return s.toString();
    }

    /** A string of unicode, controls, NUL and separators, up to {@code max} characters. */
    public String junk(int max) {
        StringBuilder s = new StringBuilder();
        int n = between(0, max);
        while (s.length() < n) {
            switch (random.nextInt(4)) {
                case 0 -> s.append(pick(NASTY));
                case 1 -> s.append((char) between(0, 0x7f));
                case 2 -> s.append((char) between(0x80, 0xffff));
                default -> s.append(name());
            }
        }
        return s.toString();
    }

    public String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    // ---- paths and queries ---------------------------------------------------------------------------------

    /** A path segment: one of {@code real} (as is), or something hostile, already in request-target form. */
    public String segment(String... real) {
        if (real.length > 0 && chance(0.25)) {
            return pick(real);
        }
        return switch (random.nextInt(14)) {
            case 0 -> "%2e%2e";
            case 1 -> pick("%2e%2e%2f%2e%2e", "..%2f..%2fetc%2fpasswd", "%2e", "%2E%2E%5c", "..;", ".%00.");
            case 2 -> name() + "%00";
            case 3 -> "%00";
            case 4 -> repeat('a', between(256, 3000));
            case 5 -> pick("%zz", "%", "%2", "%g0", "%ff%fe", "%c0%ae", "%e2%82");
            case 6 -> URLEncoder.encode(junk(20), StandardCharsets.UTF_8).replace("+", "%20");
            case 7 -> pick("%0d%0aX-Injected:%201", "%0a", "%09", "%7f", "%01");
            case 8 -> pick("%F0%9F%98%80", "%C3%A9t%C3%A9", "%E4%B8%AD", "%ED%A0%80");
            case 9 -> name() + ";jsessionid=1";
            case 10 -> pick("%2f", "a%2fb", "%5c", "~", "$", "*", "!", "'", "(", ")", "@", ":", "+");
            case 11 -> name().toUpperCase();
            case 12 -> pick("null", "undefined", "0", "-1", "99999999999999999999", "true", "[]", "{}");
            default -> name();
        };
    }

    /** A query string (with its '?', or empty): known names with junk values, repeats, junk names, bad encoding. */
    public String query(String... names) {
        if (chance(0.3)) {
            return "";
        }
        List<String> params = new ArrayList<>();
        int n = between(1, 6);
        for (int i = 0; i < n; i++) {
            String key =
                    names.length > 0 && chance(0.7) ? pick(names) : URLEncoder.encode(junk(8), StandardCharsets.UTF_8);
            String value = switch (random.nextInt(10)) {
                case 0 ->
                    pick("-1", "0", "1", "2147483648", "-2147483649", "99999999999999999999", "1.5", "1e3", "0x10", "");
                case 1 -> pick("abc", "null", "true", "%00", "%zz", "%", "now", "beginning", "READY", "ready");
                case 2 -> URLEncoder.encode(junk(30), StandardCharsets.UTF_8);
                case 3 -> repeat('9', between(20, 400));
                case 4 -> pick("2026-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "yesterday", "-1000000000-01-01T00:00Z");
                case 5 -> repeat('x', between(1000, 3000));
                case 6 -> pick("%2e%2e", "..", "a,b,,c", ",,,", "topic", "io.kafkaconcierge.topic.ready");
                default -> name();
            };
            params.add(chance(0.1) ? key : key + "=" + value);
        }
        if (chance(0.1)) {
            String repeated = params.get(0);
            // repeated, but the request line stays under 64 KiB (Netty refuses longer ones by resetting)
            int times = Math.min(between(2, 200), 60_000 / (repeated.length() + 1));
            for (int i = 0; i < times; i++) {
                params.add(repeated);
            }
        }
        String joined = String.join(chance(0.1) ? "&&" : "&", params);
        return "?" + (chance(0.05) ? "&" + joined + "&" : joined);
    }

    // ---- headers -------------------------------------------------------------------------------------------

    /** A Content-Type, or null for none. */
    public String contentType() {
        return switch (random.nextInt(14)) {
            case 0, 1, 2, 3, 4, 5 -> "application/json";
            case 6 -> null;
            case 7 -> "text/plain";
            case 8 -> pick("application/xml", "text/xml");
            case 9 ->
                pick(
                        "application/json; charset=utf-16",
                        "application/json; charset=nope",
                        "application/json;;;",
                        "application/json; charset=\"utf-8");
            case 10 ->
                pick("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data");
            case 11 ->
                pick(
                        "*/*",
                        "application/*",
                        "json",
                        "",
                        "/",
                        "application/problem+json",
                        "application/merge-patch+json");
            case 12 -> junkHeaderValue(40);
            default -> "application/octet-stream";
        };
    }

    /** An Idempotency-Key: none, fine, giant, with controls, non-ASCII. */
    public String idempotencyKey() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> null;
            case 3 -> "fuzz-" + Long.toHexString(random.nextLong());
            case 4 -> repeat('k', between(256, 8000));
            case 5 -> "key" + pick("\u0001", "\u0000", "\t", "\u007f", "\u001b[31m") + "x";
            case 6 -> pick("", " ", "a b", "\t\t");
            case 7 -> junkHeaderValue(60);
            case 8 -> new String("cl\u00e9-\u00fc".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            default -> "k" + random.nextInt(1000);
        };
    }

    /** A Last-Event-ID that is not a position of any stream. */
    public String lastEventId() {
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> pick("", " ", "now", "beginning", "0", "-1", "0:0", "0-0", "a:b:c");
            case 2 -> repeat('9', between(20, 4000));
            case 3 -> junkHeaderValue(80);
            case 4 -> pick("eyJ9", "e30", "W10", "%00", "0;1;2", "0:-5,1:99999999999999999999");
            case 5 -> Long.toString(random.nextLong());
            case 6 -> pick("0=1", "p0@1", "1,2,3", "::::");
            default -> name();
        };
    }

    /** A header value with bytes an HTTP client would refuse to send (never CR or LF: they end the header). */
    public String junkHeaderValue(int max) {
        StringBuilder s = new StringBuilder();
        int n = between(0, max);
        // mostly what HTTP allows in a value (tab, visible ASCII, obs-text); sometimes controls, which Netty refuses
        boolean controls = chance(0.15);
        for (int i = 0; i < n; i++) {
            char c = controls ? (char) between(0, 0xff) : chance(0.05) ? '\t' : (char) between(0x20, 0xff);
            s.append(c == '\r' || c == '\n' || (!controls && c == 0x7f) ? '_' : c);
        }
        return s.toString();
    }

    /** A few headers nobody asked for. */
    public List<String[]> extraHeaders() {
        List<String[]> headers = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            headers.add(
                    switch (random.nextInt(10)) {
                        case 0 ->
                            new String[] {
                                "Accept",
                                pick(
                                        "text/html",
                                        "application/xml",
                                        "*/*",
                                        "application/json",
                                        "text/event-stream",
                                        "application/problem+json",
                                        "image/png;q=0.1",
                                        "",
                                        "garbage//")
                            };
                        case 1 -> new String[] {"X-Forwarded-For", pick("1.2.3.4", "::1", "junk", "127.0.0.1, evil")};
                        case 2 -> new String[] {"X-HTTP-Method-Override", pick("DELETE", "PATCH", "PUT", "POST")};
                        case 3 -> new String[] {"Accept-Encoding", pick("gzip", "br", "identity;q=0", "*;q=0", "junk")};
                        case 4 -> new String[] {"Cookie", "q_session=" + name()};
                        case 5 -> new String[] {"X-" + name(), junkHeaderValue(100)};
                        case 6 -> new String[] {"Accept-Language", junkHeaderValue(30)};
                        case 7 -> new String[] {"Origin", pick("http://evil.example", "null", "file://")};
                        case 8 -> new String[] {"Range", "bytes=0-1"};
                        default -> new String[] {"If-None-Match", "\"" + name() + "\""};
                    });
        }
        return headers;
    }

    // ---- bodies --------------------------------------------------------------------------------------------

    /** A body and what kind of fuzz it is. {@code chunked}: sent without Content-Length. */
    public record Body(byte[] bytes, String kind, boolean chunked) {
        public static final Body NONE = new Body(null, "none", false);
    }

    /**
     * A body for an endpoint whose valid body looks like {@code template}: the template with noise (wrong types,
     * nulls, unicode, removed and unknown fields), then {@code poison} applied to it (it must make the body
     * invalid for the endpoint), then sometimes broken further (malformed, truncated, huge, deep, long strings).
     */
    public Body body(JsonNode template, Consumer<ObjectNode> poison) {
        JsonNode node = template.deepCopy();
        int noise = random.nextInt(4);
        for (int i = 0; i < noise; i++) {
            node = noise(node);
        }
        if (node instanceof ObjectNode object) {
            poison.accept(object);
        }
        String text = write(node);
        boolean chunked = chance(0.08);
        return switch (random.nextInt(20)) {
            case 0, 1 -> new Body(malformed(text), "malformed", chunked);
            case 2 -> {
                // a proper prefix of a JSON object (starting with '{') is never valid JSON
                int cut = text.length() <= 2 ? 1 : between(1, text.length() - 1);
                yield new Body(text.substring(0, cut).getBytes(StandardCharsets.UTF_8), "truncated", chunked);
            }
            case 3 -> new Body(huge(text, between(65 * 1024, 240 * 1024)), "huge", chunked);
            case 4 -> new Body(deep(between(17, 10_000)), "deep", chunked);
            case 5 -> new Body(longString(node), "long-string", chunked);
            case 6 ->
                new Body(
                        pick("", " ", "null", "[]", "\"\"", "0", "true", "[{}]", "[null]")
                                .getBytes(StandardCharsets.UTF_8),
                        "scalar",
                        chunked);
            case 7 ->
                new Body(
                        pick(
                                        "<topic><name>x</name></topic>",
                                        "a=1&b=2",
                                        "--xyz\r\n\r\n--xyz--",
                                        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                                .getBytes(StandardCharsets.UTF_8),
                        "not-json",
                        chunked);
            case 8 -> new Body(binary(between(1, 2000)), "binary", chunked);
            default ->
                new Body(
                        text.getBytes(pick(
                                StandardCharsets.UTF_8,
                                StandardCharsets.UTF_8,
                                StandardCharsets.UTF_16,
                                StandardCharsets.ISO_8859_1)),
                        "json",
                        chunked);
        };
    }

    /** A few megabytes of a JSON-looking body. */
    public Body mega() {
        return new Body(huge("{\"name\": \"x\"}", between(2, 4) * 1024 * 1024), "mega", chance(0.3));
    }

    private JsonNode noise(JsonNode node) {
        if (!(node instanceof ObjectNode object) || object.isEmpty() || chance(0.05)) {
            return chance(0.5) ? node : randomValue(0);
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        String field = pick(fields);
        switch (random.nextInt(6)) {
            case 0 -> object.remove(field);
            case 1 -> object.set(junk(12), randomValue(0));
            case 2 -> object.set(field, NODES.arrayNode().add(object.get(field)));
            case 3 -> {
                if (object.get(field) instanceof ObjectNode inner && !inner.isEmpty()) {
                    noise(inner);
                } else {
                    object.set(field, randomValue(0));
                }
            }
            default -> object.set(field, randomValue(0));
        }
        return object;
    }

    /** A wrong-typed or hostile JSON value. */
    public JsonNode randomValue(int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.textNode(String.valueOf(between(-5, 100_000)));
            case 2 -> NODES.numberNode(pick(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L));
            case 3 -> NODES.numberNode(pick(1.5, -0.0, 1e308, 4.9e-324));
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.textNode(junk(40));
            case 6 ->
                NODES.textNode(pick(
                        "",
                        " ",
                        "null",
                        "\u0000",
                        "\ud800",
                        "9".repeat(50),
                        "P30D",
                        "PT-1S",
                        "2027-02-01T00:00:00Z",
                        "local",
                        "payments",
                        "http://127.0.0.1:1/",
                        "a@b"));
            case 7 -> NODES.numberNode(new java.math.BigInteger("9".repeat(between(20, 90))));
            case 8 -> NODES.textNode(repeat('x', between(100, 4000)));
            case 9 -> {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(chance(0.5) ? name() : junk(10), randomValue(depth + 1));
                }
                yield o;
            }
        };
    }

    private byte[] malformed(String json) {
        String broken = switch (random.nextInt(12)) {
            case 0 -> json.replaceFirst(":", "");
            case 1 -> json.replace("\"", "'");
            case 2 -> json.substring(0, json.length() - 1) + ",}";
            case 3 -> json + pick("}", "]", ",", "{", "x", " {}");
            case 4 -> "{\"a\":" + json;
            case 5 -> json.replaceFirst("\"", "\"\u0000");
            case 6 -> json.replaceFirst(":", ": NaN, \"x\":");
            case 7 ->
                pick(
                        "{",
                        "}",
                        "[",
                        "{\"",
                        "{\"a\"}",
                        "{\"a\":}",
                        "{,}",
                        "{:1}",
                        "nul",
                        "tru",
                        "{\"a\" 1}",
                        "/* */{}",
                        "{\"a\":1}//",
                        "[1,,2]",
                        "{\"a\":01}",
                        "{\"a\":.5}",
                        "{\"a\":\"\\x41\"}");
            case 8 -> json.replaceFirst("\"", "\"\u0001\n");
            case 9 -> "\ufeff" + json.replaceFirst("\\{", "{{");
            case 10 -> json.replaceFirst("\\{", "[");
            default -> {
                StringBuilder s = new StringBuilder(json);
                int edits = between(1, 5);
                for (int i = 0; i < edits && s.length() > 1; i++) {
                    int at = random.nextInt(s.length());
                    s.setCharAt(at, pick('{', '}', '[', ']', ',', ':', '"', '\\'));
                }
                yield s.toString().equals(json) ? json + "}" : s.toString();
            }
        };
        byte[] bytes = broken.getBytes(StandardCharsets.UTF_8);
        if (chance(0.2)) {
            // invalid UTF-8 in the middle
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = bytes.length / 2;
            out.write(bytes, 0, at);
            out.writeBytes(pick(
                    new byte[] {(byte) 0xc3, 0x28},
                    new byte[] {(byte) 0xff},
                    new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                    new byte[] {(byte) 0xc0, (byte) 0xaf},
                    new byte[] {0}));
            out.write(bytes, at, bytes.length - at);
            return out.toByteArray();
        }
        return bytes;
    }

    /** {@code json} inside an object padded to {@code size} bytes with a string, an array or many fields. */
    private byte[] huge(String json, int size) {
        StringBuilder s =
                new StringBuilder(size + 64).append("{\"x\":").append(json).append(',');
        switch (random.nextInt(3)) {
            case 0 -> {
                s.append("\"padding\":\"");
                while (s.length() < size) {
                    s.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
                }
                s.append("\"}");
            }
            case 1 -> {
                s.append("\"padding\":[");
                while (s.length() < size) {
                    s.append("1234567,");
                }
                s.append("0]}");
            }
            default -> {
                int i = 0;
                while (s.length() < size) {
                    s.append("\"f").append(i++).append("\":1,");
                }
                s.append("\"end\":0}");
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] deep(int levels) {
        StringBuilder s = new StringBuilder(levels * 6);
        boolean arrays = random.nextBoolean();
        String prefix = chance(0.5) ? "{\"config\":" : "";
        s.append(prefix);
        for (int i = 0; i < levels; i++) {
            s.append(arrays ? "[" : "{\"a\":");
        }
        s.append("1");
        for (int i = 0; i < levels; i++) {
            s.append(arrays ? "]" : "}");
        }
        if (!prefix.isEmpty()) {
            s.append('}');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The body with one string value (or a field name) longer than any parser limit of the services. */
    private byte[] longString(JsonNode node) {
        String big = repeat(pick('a', '\u00e9', '\u4e2d'), between(4097, 20_000));
        ObjectNode object = node instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty() || chance(0.3)) {
            object.put(big, 1);
        } else {
            object.put(pick(fields), big);
        }
        return write(object).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] binary(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static JsonNode json(Map<String, ?> map) {
        return JSON.valueToTree(map);
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The names of the fields of an object, for poisons that pick one. */
    public static List<String> fields(ObjectNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> i = object.fieldNames(); i.hasNext(); ) {
            names.add(i.next());
        }
        return names;
    }
}
