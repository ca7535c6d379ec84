package org.pageserver.adapters.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HttpAuthTypeTest {

    @Test
    void acceptsNeonsSpellingOnly() {
        assertEquals(HttpAuthType.Trust, HttpAuthType.parse("Trust"));
        assertEquals(HttpAuthType.NeonJWT, HttpAuthType.parse("NeonJWT"));
        // A near miss must not leave the API open as Trust would.
        assertThrows(IllegalArgumentException.class, () -> HttpAuthType.parse("neonjwt"));
        assertThrows(IllegalArgumentException.class, () -> HttpAuthType.parse(""));
    }
}
