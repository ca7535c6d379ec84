package org.pageserver.adapters.http.pageservice;

/** A CopyData body that is no pagestream request: the stream ends with an ErrorResponse, the connection stays. */
final class PagestreamFormatException extends RuntimeException {
    PagestreamFormatException(String message) {
        super(message, null, false, false);
    }
}
