package org.pageserver.adapters.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {
    @TempDir
    Path dir;

    private static PublicKey generate(String type) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
        if (type.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (type.equals("RSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair().getPublic();
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private KeyLoadException failure(Path path) {
        return assertThrows(KeyLoadException.class, () -> PemKeys.load(path));
    }

    @Test
    void readsOneFile() throws Exception {
        PublicKey key = generate("Ed25519");
        assertEquals(List.of(key), PemKeys.load(write("key.pem", pem(key))));
    }

    @Test
    void readsEveryFileOfADirectoryButNotItsSubdirectories() throws Exception {
        PublicKey ed = generate("Ed25519");
        PublicKey rsa = generate("RSA");
        PublicKey ec = generate("EC");
        write("a-ed25519.pem", pem(ed));
        // Any name counts, as in Neon; text around the block does not matter.
        write("b-rsa", "a comment\n" + pem(rsa));
        write("c-ec.key", pem(ec));
        Files.createDirectory(dir.resolve("d-nested"));
        Files.writeString(dir.resolve("d-nested").resolve("garbage.pem"), "not a key");
        assertEquals(List.of(ed, rsa, ec), PemKeys.load(dir));
    }

    @Test
    void oneBadFileFailsTheWholeLoad() throws Exception {
        write("good.pem", pem(generate("Ed25519")));
        write("bad.pem", "no key here");
        KeyLoadException e = failure(dir);
        assertEquals("key file bad.pem holds no PEM PUBLIC KEY block", e.getMessage());
    }

    @Test
    void aBlockThatIsNoKeyIsRefused() throws Exception {
        assertTrue(failure(write("k.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .getMessage().endsWith("is no Ed25519, Ed448, RSA or EC public key"));
        assertTrue(failure(write("k.pem", "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"))
                .getMessage().endsWith("holds no PEM PUBLIC KEY block"));
        assertTrue(failure(write("k.pem", "-----BEGIN PUBLIC KEY-----\nAAAAA\n-----END PUBLIC KEY-----\n"))
                .getMessage().contains("is not valid base64"));
    }

    @Test
    void twoKeysInOneFileAreRefused() throws Exception {
        Path file = write("two.pem", pem(generate("Ed25519")) + pem(generate("Ed25519")));
        assertEquals("key file two.pem holds more than one key", failure(file).getMessage());
    }

    @Test
    void noKeyAtAllIsAnError() {
        assertEquals("no public key in " + dir.getFileName(), failure(dir).getMessage());
        Path missing = dir.resolve("missing.pem");
        assertEquals("key path missing.pem is neither a file nor a directory", failure(missing).getMessage());
    }
}
