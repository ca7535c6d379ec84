package org.pageserver.adapters.http.json;

import io.micronaut.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * Path and query parameters, read as strings and checked here so that a bad value is a 400 in
 * Neon's words rather than Micronaut's binding message.
 */
public final class RequestParams {

    private RequestParams() {
    }

    public static TenantId tenantId(String text) {
        try {
            return TenantId.parse(text);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("failed to parse tenant_id: " + e.getMessage());
        }
    }

    public static TimelineId timelineId(String text) {
        try {
            return TimelineId.parse(text);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("failed to parse timeline_id: " + e.getMessage());
        }
    }

    /**
     * An LSN query parameter, {@code X/Y}; {@code lenient} also takes a decimal integer (the spec's
     * form for get_timestamp_of_lsn, docs/api-deviations.md). {@code 0/0} is refused rather than
     * read as "latest" or "the beginning", so that an unset LSN on the client side cannot pass for
     * a real one; Neon's clients look for {@code Invalid LSN} in that answer.
     */
    public static Lsn lsn(String name, String text, boolean lenient) {
        Lsn lsn;
        try {
            lsn = lenient ? Lsn.parseLenient(text) : Lsn.parse(text);
        } catch (IllegalArgumentException e) {
            throw cannotParse(name, e.getMessage());
        }
        if (!lsn.isValid()) {
            throw PageserverException.badRequest("Invalid LSN: query param " + name + " is 0/0, which is no position in a timeline");
        }
        return lsn;
    }

    /**
     * A query parameter given at most once. Micronaut would silently take the first of two values;
     * Neon refuses the request, and so do we.
     */
    public static Optional<String> query(HttpRequest<?> request, String name) {
        List<String> values = request.getParameters().getAll(name);
        if (values.size() > 1) {
            throw PageserverException.badRequest("param " + name + " specified more than once");
        }
        return values.stream().findFirst();
    }

    /** A query parameter that must be there, at most once; Neon's words when it is not. */
    public static String requiredQuery(HttpRequest<?> request, String name) {
        return query(request, name)
                .orElseThrow(() -> PageserverException.badRequest("no " + name + " specified in query parameters"));
    }

    /**
     * An optional unsigned decimal query parameter up to {@code max}. Digits only: Micronaut's own
     * conversion would accept signs, blanks and values that wrap.
     */
    public static OptionalLong unsignedQuery(HttpRequest<?> request, String name, long max) {
        Optional<String> text = query(request, name);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        String digits = text.get();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw cannotParse(name, "\"" + digits + "\" is not an unsigned decimal number");
        }
        // 18 digits always fit a long; longer ones are above any maximum used here.
        if (digits.length() > 18 || Long.parseLong(digits) > max) {
            throw cannotParse(name, digits + " is above " + max);
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** {@link #unsignedQuery} for a parameter that must be there. */
    public static long requiredUnsignedQuery(HttpRequest<?> request, String name, long max) {
        requiredQuery(request, name);
        return unsignedQuery(request, name, max).getAsLong();
    }

    /**
     * An optional boolean query parameter: exactly {@code true} or {@code false}, at most once.
     * Micronaut's own conversion would accept {@code yes} or {@code 1}.
     */
    public static boolean flag(HttpRequest<?> request, String name) {
        return query(request, name).map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw cannotParse(name, "expected true or false, got \"" + value + "\"");
        }).orElse(false);
    }

    /** A present query parameter whose value is wrong, in Neon's words. */
    public static PageserverException cannotParse(String name, String why) {
        return PageserverException.badRequest("cannot parse query param " + name + ": " + why);
    }
}
