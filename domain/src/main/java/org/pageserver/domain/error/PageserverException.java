package org.pageserver.domain.error;

/**
 * The one exception the domain and the use cases throw for an expected failure. The message is
 * written for the client; the edge adds Neon's prefix for the kind ({@code NotFound: ...}).
 */
public class PageserverException extends RuntimeException {
    private final ErrorKind kind;

    public PageserverException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PageserverException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static PageserverException badRequest(String message) {
        return new PageserverException(ErrorKind.BAD_REQUEST, message);
    }

    public static PageserverException notFound(String message) {
        return new PageserverException(ErrorKind.NOT_FOUND, message);
    }

    public static PageserverException conflict(String message) {
        return new PageserverException(ErrorKind.CONFLICT, message);
    }

    public static PageserverException preconditionFailed(String message) {
        return new PageserverException(ErrorKind.PRECONDITION_FAILED, message);
    }

    public static PageserverException notAcceptable(String message) {
        return new PageserverException(ErrorKind.NOT_ACCEPTABLE, message);
    }

    public static PageserverException unavailable(String message) {
        return new PageserverException(ErrorKind.UNAVAILABLE, message);
    }

    public static PageserverException internal(String message, Throwable cause) {
        return new PageserverException(ErrorKind.INTERNAL, message, cause);
    }
}
