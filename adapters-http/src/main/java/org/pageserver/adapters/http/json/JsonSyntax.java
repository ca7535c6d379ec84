package org.pageserver.adapters.http.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Says where a request body stops being JSON, in this server's words: what was expected and the
 * byte offset where it was not found. The JSON mapper's own messages describe its parser (source
 * markers, token names, its configuration), which is no business of a client, and the mapper
 * ignores text after the value, which JSON does not allow; so every JSON body is checked here
 * before the mapper reads it (they are small: management requests). Containers are tracked on a
 * stack of its own, so a hostile nesting depth cannot overflow the thread's stack.
 */
final class JsonSyntax {
    /** Deeper nesting than the mapper reads (its default limit). */
    static final int MAX_DEPTH = 1000;
    /** Longer numbers than the mapper reads (its default limit). */
    static final int MAX_NUMBER_LENGTH = 1000;

    private enum Expect { VALUE, VALUE_OR_ARRAY_END, KEY, KEY_OR_OBJECT_END, COLON, AFTER_VALUE }

    private record Open(boolean object, int at) {
    }

    private final byte[] body;
    private final Deque<Open> open = new ArrayDeque<>();
    private int at;

    private JsonSyntax(byte[] body) {
        this.body = body;
    }

    /** What is wrong with the body, or null if it is well-formed JSON text as far as this can tell. */
    static String firstError(byte[] body) {
        String encoding = utf8Error(body);
        return encoding != null ? encoding : new JsonSyntax(body).check();
    }

    private static String utf8Error(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                // The input stops at the first byte of the sequence that is not UTF-8.
                return "byte " + in.position() + " is not UTF-8 text";
            }
            if (result.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    private String check() {
        Expect expect = Expect.VALUE;
        while (true) {
            skipWhitespace();
            if (at == body.length) {
                return endOfBody(expect);
            }
            byte c = body[at];
            String error = switch (expect) {
                case VALUE, VALUE_OR_ARRAY_END -> {
                    if (c == ']' && expect == Expect.VALUE_OR_ARRAY_END) {
                        open.pop();
                        at++;
                        expect = Expect.AFTER_VALUE;
                        yield null;
                    }
                    if (c == '{' || c == '[') {
                        if (open.size() == MAX_DEPTH) {
                            yield "nesting deeper than " + MAX_DEPTH + " levels at byte " + at;
                        }
                        open.push(new Open(c == '{', at++));
                        expect = c == '{' ? Expect.KEY_OR_OBJECT_END : Expect.VALUE_OR_ARRAY_END;
                        yield null;
                    }
                    expect = Expect.AFTER_VALUE;
                    yield scalar(c);
                }
                case KEY, KEY_OR_OBJECT_END -> {
                    if (c == '}' && expect == Expect.KEY_OR_OBJECT_END) {
                        open.pop();
                        at++;
                        expect = Expect.AFTER_VALUE;
                        yield null;
                    }
                    if (c != '"') {
                        yield unexpected("a field name in double quotes");
                    }
                    expect = Expect.COLON;
                    yield string();
                }
                case COLON -> {
                    if (c != ':') {
                        yield unexpected("':' after the field name");
                    }
                    at++;
                    expect = Expect.VALUE;
                    yield null;
                }
                case AFTER_VALUE -> {
                    if (open.isEmpty()) {
                        yield "unexpected " + shown(c) + " at byte " + at + " after the end of the JSON value";
                    }
                    boolean object = open.peek().object();
                    if (c == ',') {
                        at++;
                        expect = object ? Expect.KEY : Expect.VALUE;
                        yield null;
                    }
                    if (c == (object ? '}' : ']')) {
                        open.pop();
                        at++;
                        yield null;
                    }
                    yield unexpected(object ? "',' or '}'" : "',' or ']'");
                }
            };
            if (error != null) {
                return error;
            }
        }
    }

    private String endOfBody(Expect expect) {
        if (open.isEmpty()) {
            return expect == Expect.AFTER_VALUE ? null : "the body holds no JSON value";
        }
        Open innermost = open.peek();
        return "unexpected end of the body at byte " + at + ": the " + (innermost.object() ? "object" : "array")
                + " opened at byte " + innermost.at() + " is not closed";
    }

    private String scalar(byte c) {
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        for (String literal : new String[] {"true", "false", "null"}) {
            if (c == literal.charAt(0)) {
                return literal(literal);
            }
        }
        return unexpected("a value (an object, array, string, number, true, false or null)");
    }

    private String string() {
        int start = at++;
        while (at < body.length) {
            byte c = body[at];
            if (c == '"') {
                at++;
                return null;
            }
            if ((c & 0xFF) < 0x20) {
                return "a control character (byte " + (c & 0xFF) + ") at byte " + at + " in the string that starts at byte "
                        + start + ": escape it";
            }
            if (c == '\\') {
                String error = escape(start);
                if (error != null) {
                    return error;
                }
                continue;
            }
            at++;
        }
        return "unexpected end of the body at byte " + at + ": the string that starts at byte " + start
                + " is not closed";
    }

    private String escape(int stringStart) {
        int escapeAt = at++;
        if (at == body.length) {
            return "unexpected end of the body at byte " + at + ": the string that starts at byte " + stringStart
                    + " is not closed";
        }
        byte c = body[at++];
        if ("\"\\/bfnrt".indexOf(c) >= 0) {
            return null;
        }
        if (c == 'u') {
            for (int i = 0; i < 4; i++, at++) {
                if (at == body.length || Character.digit(body[at], 16) < 0) {
                    return "the escape at byte " + escapeAt + " needs four hex digits after \\u";
                }
            }
            return null;
        }
        return "unknown escape \\" + (char) (c & 0xFF) + " at byte " + escapeAt;
    }

    private String number() {
        int start = at;
        if (body[at] == '-') {
            at++;
        }
        if (at < body.length && body[at] == '0') {
            at++;
        } else if (!digits()) {
            return "a number needs a digit at byte " + at;
        }
        if (at < body.length && body[at] == '.') {
            at++;
            if (!digits()) {
                return "a number needs a digit after its decimal point at byte " + at;
            }
        }
        if (at < body.length && (body[at] == 'e' || body[at] == 'E')) {
            at++;
            if (at < body.length && (body[at] == '+' || body[at] == '-')) {
                at++;
            }
            if (!digits()) {
                return "a number needs a digit in its exponent at byte " + at;
            }
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            return "the number at byte " + start + " is longer than " + MAX_NUMBER_LENGTH + " characters";
        }
        return null;
    }

    private boolean digits() {
        int start = at;
        while (at < body.length && body[at] >= '0' && body[at] <= '9') {
            at++;
        }
        return at > start;
    }

    private String literal(String literal) {
        int start = at;
        for (int i = 0; i < literal.length(); i++, at++) {
            if (at == body.length || body[at] != literal.charAt(i)) {
                at = start;
                return unexpected("a value (an object, array, string, number, true, false or null)");
            }
        }
        return null;
    }

    private void skipWhitespace() {
        while (at < body.length && (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' || body[at] == '\r')) {
            at++;
        }
    }

    private String unexpected(String expected) {
        return "expected " + expected + " at byte " + at + ", found " + shown(body[at]);
    }

    private static String shown(byte c) {
        int b = c & 0xFF;
        return b >= 0x21 && b < 0x7F ? "'" + (char) b + "'" : "byte " + b;
    }
}
