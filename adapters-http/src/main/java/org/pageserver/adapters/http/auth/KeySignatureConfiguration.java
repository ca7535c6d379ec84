package org.pageserver.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/**
 * Checks a token's signature against every validation key in turn, as Neon does (the {@code kid}
 * header is not needed). EdDSA goes through the JDK's own {@code Signature}, because Nimbus's
 * Ed25519 verifier needs Google Tink; RSA and EC go through Nimbus. A key of another type than
 * the token's algorithm is skipped, never tried.
 */
final class KeySignatureConfiguration implements SignatureConfiguration {
    private static final Set<JWSAlgorithm> ED = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.Ed448);

    private final ValidationKeys keys;

    KeySignatureConfiguration(ValidationKeys keys) {
        this.keys = keys;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only EdDSA, RS256/384/512, PS256/384/512 and ES256/384/512 are supported";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return ED.contains(algorithm) || JWSAlgorithm.Family.RSA.contains(algorithm)
                || JWSAlgorithm.Family.EC.contains(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        // One snapshot for the whole check, so a concurrent reload cannot mix two key sets.
        for (PublicKey key : keys.current()) {
            if (verifies(algorithm, key, jwt)) {
                return true;
            }
        }
        return false;
    }

    private static boolean verifies(JWSAlgorithm algorithm, PublicKey key, SignedJWT jwt) {
        try {
            if (ED.contains(algorithm) && key instanceof EdECPublicKey) {
                Signature signature = Signature.getInstance(key.getAlgorithm());
                signature.initVerify(key);
                signature.update(jwt.getSigningInput());
                return signature.verify(jwt.getSignature().decode());
            }
            JWSVerifier verifier = nimbusVerifier(algorithm, key);
            return verifier != null && verifier.verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature());
        } catch (GeneralSecurityException | JOSEException e) {
            // A signature of the wrong length or a curve that does not fit the algorithm: not this key.
            return false;
        }
    }

    private static JWSVerifier nimbusVerifier(JWSAlgorithm algorithm, PublicKey key) throws JOSEException {
        if (JWSAlgorithm.Family.RSA.contains(algorithm) && key instanceof RSAPublicKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (JWSAlgorithm.Family.EC.contains(algorithm) && key instanceof ECPublicKey ec) {
            return new ECDSAVerifier(ec);
        }
        return null;
    }
}
