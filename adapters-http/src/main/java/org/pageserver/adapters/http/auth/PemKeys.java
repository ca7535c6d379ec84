package org.pageserver.adapters.http.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pageserver.domain.error.Failures;

/**
 * Reads public keys as Neon does: the path is one PEM file, or a directory whose regular files
 * (not its subdirectories) are each one PEM file. Every file must hold exactly one
 * {@code PUBLIC KEY} block (SubjectPublicKeyInfo) of an Ed25519, Ed448, RSA or EC key; any other
 * file, or no key at all, fails the whole load, so that a half-read set never replaces a good one.
 * Messages name files by their names, never by their paths: a reload's answer shows them to clients.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]*)-----END PUBLIC KEY-----");
    private static final List<String> KEY_TYPES = List.of("EdDSA", "RSA", "EC");

    private PemKeys() {
    }

    public static List<PublicKey> load(Path path) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files(path)) {
            keys.add(parse(file, read(file)));
        }
        if (keys.isEmpty()) {
            throw new KeyLoadException("no public key in " + path.getFileName());
        }
        return List.copyOf(keys);
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new KeyLoadException("key path " + path.getFileName() + " is neither a file nor a directory");
        }
        try (Stream<Path> entries = Files.list(path)) {
            // Links are followed (mounted secrets are links to files); sorted, so that a load
            // reports the same first bad file every time.
            return entries.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new KeyLoadException("cannot list key directory " + path.getFileName() + ": " + Failures.describe(e), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new KeyLoadException("cannot read key file " + file.getFileName() + ": " + Failures.describe(e), e);
        }
    }

    static PublicKey parse(Path file, String pem) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new KeyLoadException("key file " + file.getFileName() + " holds no PEM PUBLIC KEY block");
        }
        String base64 = block.group(1).replaceAll("\\s", "");
        if (block.find()) {
            throw new KeyLoadException("key file " + file.getFileName() + " holds more than one key");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new KeyLoadException("key file " + file.getFileName() + " is not valid base64: " + e.getMessage(), e);
        }
        for (String type : KEY_TYPES) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // Not this type; the next one may read it.
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + type + " keys", e);
            }
        }
        throw new KeyLoadException("key file " + file.getFileName() + " is no Ed25519, Ed448, RSA or EC public key");
    }
}
