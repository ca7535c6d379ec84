package org.pageserver.bootstrap.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * A key pair made for one test, which writes its public half as PEM and signs tokens with the
 * private half: Ed25519 with the JDK (as Neon's tokens are), RSA and EC with Nimbus.
 */
record SigningKey(KeyPair pair, JWSAlgorithm algorithm) {

    static SigningKey ed25519() {
        return generate("Ed25519", null, JWSAlgorithm.EdDSA);
    }

    static SigningKey rsa() {
        return generate("RSA", null, JWSAlgorithm.RS256);
    }

    static SigningKey ecP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), JWSAlgorithm.ES256);
    }

    private static SigningKey generate(String type, ECGenParameterSpec curve, JWSAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if (curve != null) {
                generator.initialize(curve);
            } else if (type.equals("RSA")) {
                generator.initialize(2048);
            }
            return new SigningKey(generator.generateKeyPair(), algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String publicPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    Path writePublic(Path file) {
        try {
            return Files.writeString(file, publicPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A compact JWS of these claims. */
    String sign(Map<String, Object> claims) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), set.build());
        try {
            if (algorithm.equals(JWSAlgorithm.EdDSA)) {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(pair.getPrivate());
                signature.update(jwt.getSigningInput());
                return new String(jwt.getSigningInput(), StandardCharsets.US_ASCII) + "."
                        + Base64URL.encode(signature.sign());
            }
            jwt.sign(signer());
            return jwt.serialize();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private JWSSigner signer() throws JOSEException {
        return pair.getPrivate() instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(pair.getPrivate());
    }
}
