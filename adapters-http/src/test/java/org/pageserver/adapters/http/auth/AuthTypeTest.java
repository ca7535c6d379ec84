package org.pageserver.adapters.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AuthTypeTest {

    @Test
    void acceptsNeonsSpellingOnly() {
        assertEquals(AuthType.Trust, AuthType.parse("Trust"));
        assertEquals(AuthType.NeonJWT, AuthType.parse("NeonJWT"));
        // A near miss must not leave the API open as Trust would.
        assertThrows(IllegalArgumentException.class, () -> AuthType.parse("neonjwt"));
        assertThrows(IllegalArgumentException.class, () -> AuthType.parse(""));
    }
}
