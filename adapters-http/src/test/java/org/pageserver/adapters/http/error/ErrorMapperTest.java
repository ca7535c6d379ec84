package org.pageserver.adapters.http.error;

import io.micronaut.http.HttpStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorMapperTest {

    @Test
    void everyKindHasItsStatusAndNeonsPrefix() {
        Map<ErrorKind, Object[]> expected = Map.of(
                ErrorKind.BAD_REQUEST, new Object[] {HttpStatus.BAD_REQUEST, "m"},
                ErrorKind.UNAUTHORIZED, new Object[] {HttpStatus.UNAUTHORIZED, "Unauthorized: m"},
                ErrorKind.FORBIDDEN, new Object[] {HttpStatus.FORBIDDEN, "Forbidden: m"},
                ErrorKind.NOT_FOUND, new Object[] {HttpStatus.NOT_FOUND, "NotFound: m"},
                ErrorKind.NOT_ACCEPTABLE, new Object[] {HttpStatus.NOT_ACCEPTABLE, "m"},
                ErrorKind.CONFLICT, new Object[] {HttpStatus.CONFLICT, "Conflict: m"},
                ErrorKind.PRECONDITION_FAILED, new Object[] {HttpStatus.PRECONDITION_FAILED, "Precondition failed: m"},
                ErrorKind.PAYLOAD_TOO_LARGE, new Object[] {HttpStatus.REQUEST_ENTITY_TOO_LARGE, "m"},
                ErrorKind.UNAVAILABLE, new Object[] {HttpStatus.SERVICE_UNAVAILABLE, "m"},
                ErrorKind.INTERNAL, new Object[] {HttpStatus.INTERNAL_SERVER_ERROR, "m"});
        assertEquals(ErrorKind.values().length, expected.size());
        expected.forEach((kind, statusAndMsg) -> {
            PageserverException e = new PageserverException(kind, "m");
            assertEquals(statusAndMsg[0], ErrorMapper.status(kind), kind::name);
            assertEquals(statusAndMsg[1], ErrorMapper.message(e), kind::name);
            assertEquals("m", e.getMessage());
        });
    }
}
